package dev.flowmeter.agent.metrics;

import io.prometheus.metrics.config.PrometheusProperties;
import io.prometheus.metrics.core.datapoints.StateSetDataPoint;
import io.prometheus.metrics.core.metrics.StateSet;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/** {@code workflow_engine_status}: one state set per engine, RUNNING, PAUSED or STOPPED. */
public final class EngineStatus {

    public static final String RUNNING = "RUNNING";
    public static final String PAUSED = "PAUSED";
    public static final String STOPPED = "STOPPED";
    private static final String[] STATES = {RUNNING, PAUSED, STOPPED};

    private final SeriesIndex<StateSetDataPoint> engines;

    EngineStatus(PrometheusRegistry registry, PrometheusProperties properties, int maxSeries, Runnable onDropped) {
        StateSet stateSet = StateSet.builder(properties)
                .name(Catalog.ENGINE_STATUS.name())
                .help(Catalog.ENGINE_STATUS.help())
                .labelNames(Catalog.ENGINE_STATUS.labelNameArray())
                .states(STATES)
                .register(registry);
        engines = new SeriesIndex<>(1, maxSeries, STATES.length, stateSet::labelValues, onDropped);
    }

    public void set(String engine, String state) {
        StateSetDataPoint dataPoint = engines.get(engine);
        synchronized (dataPoint) {
            for (String other : STATES) {
                if (!other.equals(state)) {
                    dataPoint.setFalse(other);
                }
            }
            dataPoint.setTrue(state);
        }
    }
}
