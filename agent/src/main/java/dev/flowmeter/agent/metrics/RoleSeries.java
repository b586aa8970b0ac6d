package dev.flowmeter.agent.metrics;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import java.util.concurrent.ConcurrentHashMap;

/** The cached data points of one role for one set of key label values. */
public final class RoleSeries {

    /** Distinct exception classes counted per series before they share {@code _other_}. */
    static final int MAX_EXCEPTIONS = 50;

    private final String[] keyValues;
    private final Timer.Series success;
    private final Timer.Series failure;
    private final CounterDataPoint calls;
    private final Counter errors;
    private final ConcurrentHashMap<String, CounterDataPoint> errorsByException;

    RoleSeries(Role role, Timer timer, Counter calls, Counter errors, String[] keyValues) {
        this.keyValues = keyValues;
        if (timer == null) {
            success = failure = null;
        } else if (role.outcomeLabelled()) {
            success = timer.series(append(keyValues, Role.SUCCESS));
            failure = timer.series(append(keyValues, Role.FAILURE));
        } else {
            success = failure = timer.series(keyValues);
        }
        this.calls = calls == null ? null : calls.labelValues(keyValues);
        this.errors = errors;
        this.errorsByException = errors == null ? null : new ConcurrentHashMap<>();
    }

    /** Records a call: its duration, and the exception it threw, if any. */
    public void record(long nanos, boolean failed, Throwable thrown) {
        if (calls != null) {
            calls.inc();
        }
        if (success != null) {
            (failed ? failure : success).observeNanos(nanos);
        }
        if (thrown != null && errorsByException != null) {
            errorCounter(thrown.getClass().getSimpleName()).inc();
        }
    }

    /** Counts a call that is not timed. */
    public void count() {
        calls.inc();
    }

    private CounterDataPoint errorCounter(String exception) {
        CounterDataPoint counter = errorsByException.get(exception);
        if (counter != null) {
            return counter;
        }
        String key = errorsByException.size() < MAX_EXCEPTIONS ? exception : LabelValues.OTHER;
        return errorsByException.computeIfAbsent(key, name -> errors.labelValues(append(keyValues, name)));
    }

    private static String[] append(String[] values, String last) {
        String[] appended = java.util.Arrays.copyOf(values, values.length + 1);
        appended[values.length] = last;
        return appended;
    }
}
