package dev.flowmeter.agent.metrics;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.GaugeDataPoint;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.UndeclaredThrowableException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ConcurrentHashMap;

/** The cached data points of one role for one set of key label values. */
public final class RoleSeries {

    /** Distinct exception classes counted per series before they share {@code _other_}. */
    static final int MAX_EXCEPTIONS = 50;

    private final String[] keyValues;
    private final Timer.Series success;
    private final Timer.Series failure;
    private final CounterDataPoint calls;
    private final GaugeDataPoint active;
    private final GaugeDataPoint last;
    private final RoleMetrics families;
    private final ConcurrentHashMap<String, CounterDataPoint> errorsByException;

    RoleSeries(RoleMetrics families, String[] keyValues) {
        Role role = families.role();
        Timer timer = families.timer();
        this.keyValues = keyValues;
        if (timer == null) {
            success = failure = null;
        } else if (role.outcomeLabelled()) {
            success = timer.series(append(keyValues, Role.SUCCESS));
            failure = timer.series(append(keyValues, Role.FAILURE));
        } else {
            success = failure = timer.series(keyValues);
        }
        this.calls = families.calls() == null ? null : families.calls().labelValues(keyValues);
        this.active = families.active() == null ? null : families.active().labelValues(keyValues);
        this.last = families.last() == null ? null : families.last().labelValues(keyValues);
        this.families = families;
        this.errorsByException = families.errors() == null ? null : new ConcurrentHashMap<>();
    }

    /** A call has begun; counted in progress until it is {@link #record}ed. */
    public void begin() {
        active.inc();
    }

    /** Records a call: its duration, and the exception it threw, if any. */
    public void record(long nanos, boolean failed, Throwable thrown) {
        if (active != null) {
            active.dec();
        }
        if (calls != null) {
            calls.inc();
        }
        if (success != null) {
            (failed ? failure : success).observeNanos(nanos);
        }
        if (last != null) {
            last.set(nanos * 1e-9);
        }
        if (thrown != null && errorsByException != null) {
            errorCounter(exceptionName(thrown)).inc();
        }
    }

    /** Counts a call that is not timed. */
    public void count() {
        calls.inc();
    }

    /**
     * What failed: the thrown class, or for a wrapper that names no failure of its own, its cause: a
     * reflective call's (a job runner that invokes job methods by reflection throws those) and a
     * future's ({@code ExecutionException}, {@code CompletionException}), as the Conductor Java SDK
     * labels them.
     */
    static String exceptionName(Throwable thrown) {
        Throwable failure = thrown;
        while ((failure instanceof InvocationTargetException || failure instanceof UndeclaredThrowableException
                || failure instanceof ExecutionException || failure instanceof CompletionException)
                && failure.getCause() != null) {
            failure = failure.getCause();
        }
        return failure.getClass().getSimpleName();
    }

    private CounterDataPoint errorCounter(String exception) {
        CounterDataPoint counter = errorsByException.get(exception);
        if (counter != null) {
            return counter;
        }
        String key = errorsByException.size() < MAX_EXCEPTIONS ? exception : LabelValues.OTHER;
        counter = errorsByException.get(key);
        if (counter != null) {
            return counter;
        }
        CounterDataPoint made = families.newErrorSeries(append(keyValues, key));
        if (made == null) {
            return families.otherErrors();
        }
        CounterDataPoint raced = errorsByException.putIfAbsent(key, made);
        return raced != null ? raced : made;
    }

    private static String[] append(String[] values, String last) {
        String[] appended = java.util.Arrays.copyOf(values, values.length + 1);
        appended[values.length] = last;
        return appended;
    }
}
