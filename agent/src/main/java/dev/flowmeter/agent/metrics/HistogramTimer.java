package dev.flowmeter.agent.metrics;

import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.model.snapshots.Unit;
import java.util.function.Function;

/** Histograms in seconds: they aggregate across workers, which quantiles cannot. */
final class HistogramTimer implements Timer {

    /** From a millisecond poll to a five-minute task. */
    static final double[] BUCKETS = {0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300};

    private final Function<String[], DistributionDataPoint> histogram;

    /** @param histogram a histogram family's series by label values, made by {@link Metrics}, which sets its buckets */
    HistogramTimer(Function<String[], DistributionDataPoint> histogram) {
        this.histogram = histogram;
    }

    @Override
    public Series series(String... labelValues) {
        DistributionDataPoint dataPoint = histogram.apply(labelValues);
        return nanos -> dataPoint.observe(Unit.nanosToSeconds(nanos));
    }
}
