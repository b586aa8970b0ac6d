package dev.flowmeter.agent.metrics;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import java.util.concurrent.atomic.AtomicInteger;

/** The families of one role and the index of their series, shared by every probe of that role. */
public final class RoleMetrics {

    private final Role role;
    private final Timer timer;
    private final Counter calls;
    private final Counter errors;
    private final Gauge active;
    private final Gauge last;
    private final SeriesIndex<RoleSeries> index;
    /** The error counter's label sets, {@code _other_}'s room kept: they are many per key, by exception. */
    private final int errorSeries;
    private final AtomicInteger errorSeriesMade = new AtomicInteger();
    private final Runnable onErrorsDropped;
    private volatile CounterDataPoint otherErrors;

    RoleMetrics(Role role, Timer timer, Counter calls, Counter errors, Gauge active, Gauge last, int maxSeries,
            Runnable onDropped, int maxErrorSeries, Runnable onErrorsDropped) {
        this.role = role;
        this.timer = timer;
        this.calls = calls;
        this.errors = errors;
        this.active = active;
        this.last = last;
        this.index = new SeriesIndex<>(role.keyLabels().size(), maxSeries, timer != null && role.outcomeLabelled() ? 2 : 1,
                keyValues -> new RoleSeries(this, keyValues), onDropped);
        this.errorSeries = maxErrorSeries - 1;
        this.onErrorsDropped = onErrorsDropped;
    }

    /** The error counter's data point of a label set not counted before, or null where the family is full. */
    CounterDataPoint newErrorSeries(String[] labelValues) {
        if (errorSeriesMade.incrementAndGet() <= errorSeries) {
            return errors.labelValues(labelValues);
        }
        errorSeriesMade.decrementAndGet();
        return null;
    }

    /** The error counter's data point whose every label is {@code _other_}, for an error the full family has no room for. */
    CounterDataPoint otherErrors() {
        onErrorsDropped.run();
        CounterDataPoint other = otherErrors;
        if (other == null) {
            String[] others = new String[role.keyLabels().size() + 1];
            java.util.Arrays.fill(others, LabelValues.OTHER);
            otherErrors = other = errors.labelValues(others);
        }
        return other;
    }

    public Role role() {
        return role;
    }

    public SeriesIndex<RoleSeries> index() {
        return index;
    }

    /** Whether calls in progress are counted, so that the probe must find their series on entry. */
    public boolean countsActive() {
        return active != null;
    }

    Timer timer() {
        return timer;
    }

    Counter calls() {
        return calls;
    }

    Counter errors() {
        return errors;
    }

    Gauge active() {
        return active;
    }

    Gauge last() {
        return last;
    }
}
