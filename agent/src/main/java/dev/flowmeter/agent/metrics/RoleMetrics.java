package dev.flowmeter.agent.metrics;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;

/** The families of one role and the index of their series, shared by every probe of that role. */
public final class RoleMetrics {

    private final Role role;
    private final Timer timer;
    private final Counter calls;
    private final Counter errors;
    private final Gauge active;
    private final SeriesIndex<RoleSeries> index;

    RoleMetrics(Role role, Timer timer, Counter calls, Counter errors, Gauge active, int maxSeries, Runnable onDropped) {
        this.role = role;
        this.timer = timer;
        this.calls = calls;
        this.errors = errors;
        this.active = active;
        this.index = new SeriesIndex<>(role.keyLabels().size(), maxSeries,
                keyValues -> new RoleSeries(this, keyValues), onDropped);
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
}
