package dev.flowmeter.agent.metrics;

import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.snapshots.Unit;

/** Histograms in seconds: they aggregate across workers, which quantiles cannot. */
final class HistogramTimer implements Timer {

    /** From a millisecond poll to a five-minute task. */
    static final double[] BUCKETS = {0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300};

    private final Histogram histogram;

    /** @param histogram made by {@link Metrics}, which sets its buckets */
    HistogramTimer(Histogram histogram) {
        this.histogram = histogram;
    }

    @Override
    public Series series(String... labelValues) {
        DistributionDataPoint dataPoint = histogram.labelValues(labelValues);
        return nanos -> dataPoint.observe(Unit.nanosToSeconds(nanos));
    }
}
