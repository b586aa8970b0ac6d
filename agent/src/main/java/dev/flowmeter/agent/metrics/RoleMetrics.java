package dev.flowmeter.agent.metrics;

import io.prometheus.metrics.core.metrics.Counter;

/** The families of one role and the index of their series, shared by every probe of that role. */
public final class RoleMetrics {

    private final Role role;
    private final SeriesIndex<RoleSeries> index;

    RoleMetrics(Role role, Timer timer, Counter calls, Counter errors, int maxSeries, Runnable onDropped) {
        this.role = role;
        this.index = new SeriesIndex<>(role.keyLabels().size(), maxSeries,
                keyValues -> new RoleSeries(role, timer, calls, errors, keyValues), onDropped);
    }

    public Role role() {
        return role;
    }

    public SeriesIndex<RoleSeries> index() {
        return index;
    }
}
