package dev.flowmeter.agent.metrics;

import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import java.util.Arrays;
import java.util.function.Function;

/**
 * A histogram of values a rule reads from calls (a payload's size, a queue's length), and the index
 * of its series, capped like every family's.
 */
public final class ValueHistogram {

    /** One series, found once per label set and kept: observing is the hot path. */
    public static final class Series {
        private final DistributionDataPoint dataPoint;

        Series(DistributionDataPoint dataPoint) {
            this.dataPoint = dataPoint;
        }

        public void observe(double value) {
            dataPoint.observe(value);
        }
    }

    private final MetricFamily family;
    private final double[] buckets;
    private final SeriesIndex<Series> index;

    ValueHistogram(MetricFamily family, double[] buckets, Function<String[], DistributionDataPoint> histogram, int maxSeries, Runnable onDropped) {
        this.family = family;
        this.buckets = buckets;
        this.index = new SeriesIndex<>(family.labelNames().size(), maxSeries, 1,
                labelValues -> new Series(histogram.apply(labelValues)), onDropped);
    }

    public SeriesIndex<Series> index() {
        return index;
    }

    /**
     * Checks that a rule asks for the family as it was made for an earlier one.
     *
     * @throws IllegalArgumentException naming what differs
     */
    void checkSame(MetricFamily wanted, double[] wantedBuckets) {
        if (!wanted.labelNames().equals(family.labelNames()) || !Arrays.equals(wantedBuckets, buckets)) {
            throw new IllegalArgumentException("histogram " + family.name() + " is already recorded with labels "
                    + family.labelNames() + " and buckets " + Arrays.toString(buckets) + "; give this rule the same,"
                    + " or another name");
        }
    }
}
