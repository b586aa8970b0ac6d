package dev.flowmeter.agent.metrics;

import io.prometheus.metrics.config.PrometheusProperties;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;

/** Classic-bucket histograms: they aggregate across workers, which quantiles cannot. */
final class HistogramTimer implements Timer {

    /** From a millisecond poll to a five-minute task. */
    static final double[] BUCKETS = {0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300};

    private final Histogram histogram;

    HistogramTimer(MetricFamily family, PrometheusProperties properties, PrometheusRegistry registry) {
        histogram = Histogram.builder(properties)
                .name(family.name())
                .help(family.help())
                .unit(Unit.SECONDS)
                .labelNames(family.labelNameArray())
                .classicOnly()
                .classicUpperBounds(BUCKETS)
                .withoutExemplars()
                .register(registry);
    }

    @Override
    public Series series(String... labelValues) {
        DistributionDataPoint dataPoint = histogram.labelValues(labelValues);
        return nanos -> dataPoint.observe(Unit.nanosToSeconds(nanos));
    }
}
