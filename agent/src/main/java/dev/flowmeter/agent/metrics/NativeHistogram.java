package dev.flowmeter.agent.metrics;

import io.prometheus.metrics.config.ExemplarsProperties;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.exemplars.ExemplarSampler;
import io.prometheus.metrics.core.exemplars.ExemplarSamplerConfig;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.Exemplars;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.NativeHistogramBuckets;
import io.prometheus.metrics.model.snapshots.Unit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A native histogram family (histograms=native), with classic buckets beside (histograms=both).
 *
 * <p>Why not client_java's {@code Histogram}: its 1.8.0 data point keeps native buckets in a
 * {@code ConcurrentHashMap<Integer, LongAdder>} and boxes each observation's bucket index, negative
 * and so outside the Integer cache for any value under one: 32 B per timed call
 * ({@code bash bench/run calls}, "plain (native)", 2026-12-02 16:49), where a classic histogram
 * allocates nothing. Here an observation is one increment of a preallocated cell
 * ({@link BucketCells}), one add to the sum and, where exemplars are on, client_java's own
 * exemplar sampler. Its resolution follows client_java's defaults: schema 5 to begin with, one
 * schema coarser whenever the buckets of one sign would span more than {@link #MAX_BUCKETS}, zero
 * bucket {@code [-2^-128, 2^-128]}, never reset.
 */
final class NativeHistogram implements MultiCollector {

    /** client_java's default {@code nativeMaxNumberOfBuckets}; here the span of a sign's window. */
    static final int MAX_BUCKETS = 160;
    /** Exemplars a native-only series keeps (client_java's native histograms keep 4 too). */
    private static final int NATIVE_EXEMPLARS = 4;

    private final MetricMetadata metadata;
    private final List<String> labelNames;
    /** Ascending, +Inf last; just +Inf where only native buckets are served. */
    private final double[] classicBounds;
    private final boolean classic;
    /** How each series samples exemplars, or null for none. */
    private final ExemplarSamplerConfig exemplars;
    private final ConcurrentHashMap<List<String>, Series> series = new ConcurrentHashMap<>();

    /**
     * @param classicBounds the classic buckets' upper bounds to keep beside the native ones, or null
     * @param exemplars client_java's exemplar settings, or null for no exemplars
     */
    NativeHistogram(MetricFamily family, Unit unit, double[] classicBounds, ExemplarsProperties exemplars) {
        this.metadata = new MetricMetadata(family.name(), family.help(), unit);
        this.labelNames = family.labelNames();
        this.classic = classicBounds != null;
        double[] bounds = classic ? classicBounds : new double[0];
        this.classicBounds = Arrays.copyOf(bounds, bounds.length + 1);
        this.classicBounds[bounds.length] = Double.POSITIVE_INFINITY;
        // As client_java's histograms sample: one exemplar per classic bucket, else a few.
        this.exemplars = exemplars == null ? null : classic ? new ExemplarSamplerConfig(exemplars, this.classicBounds)
                : new ExemplarSamplerConfig(exemplars, NATIVE_EXEMPLARS);
    }

    /** The series of a label set, made at the first call. Resolve once and keep it: observing is the hot path. */
    DistributionDataPoint labelValues(String... labelValues) {
        return series.computeIfAbsent(Arrays.asList(labelValues.clone()), values -> new Series());
    }

    @Override
    public MetricSnapshots collect() {
        List<HistogramDataPointSnapshot> points = new ArrayList<>(series.size());
        series.forEach((values, one) -> points.add(one.snapshot(Labels.of(labelNames, values))));
        return MetricSnapshots.of(new HistogramSnapshot(metadata, points));
    }

    @Override
    public List<String> getPrometheusNames() {
        return List.of(metadata.getPrometheusName());
    }

    private final class Series implements DistributionDataPoint {
        private volatile BucketCells cells = new BucketCells(classicBounds);
        private final DoubleAdder sum = new DoubleAdder();
        private final ExemplarSampler sampler = exemplars == null ? null : new ExemplarSampler(exemplars);
        private final long created = System.currentTimeMillis();
        /** Held to widen the window and to take a snapshot; a ReentrantLock parks a virtual thread without pinning it. */
        private final ReentrantLock lock = new ReentrantLock();

        @Override
        public void observe(double value) {
            if (record(value) && sampler != null) {
                sampler.observe(value);
            }
        }

        @Override
        public void observeWithExemplar(double value, Labels labels) {
            if (record(value) && sampler != null) {
                sampler.observeWithExemplar(value, labels);
            }
        }

        /** False for NaN, which client_java's histograms ignore too. */
        private boolean record(double value) {
            if (Double.isNaN(value)) {
                return false;
            }
            while (true) {
                BucketCells current = cells;
                int cell = current.cell(value);
                if (cell < 0) {
                    widen(value);
                } else if (current.increment(cell)) {
                    break;
                }
                // else the cells were replaced after this thread read them: record in the new ones
            }
            sum.add(value);
            return true;
        }

        /** Makes cells whose windows hold {@code value}'s bucket and moves the counts into them. */
        private void widen(double value) {
            lock.lock();
            try {
                BucketCells old = cells;
                if (old.cell(value) >= 0) {
                    return;
                }
                boolean positive = value > 0;
                int index = ExponentialScale.index(Math.abs(value), old.schema);
                int positiveLow = old.positive.lowWith(positive, index);
                int positiveHigh = old.positive.highWith(positive, index);
                int negativeLow = old.negative.lowWith(!positive, index);
                int negativeHigh = old.negative.highWith(!positive, index);
                int steps = 0;
                while (old.schema - steps > ExponentialScale.MIN_SCHEMA
                        && (span(positiveLow, positiveHigh, steps) > MAX_BUCKETS
                                || span(negativeLow, negativeHigh, steps) > MAX_BUCKETS)) {
                    steps++;
                }
                // An empty side's low is above its high: its span is 0.
                BucketCells wider = new BucketCells(old.schema - steps,
                        ExponentialScale.coarser(negativeLow, steps), span(negativeLow, negativeHigh, steps),
                        ExponentialScale.coarser(positiveLow, steps), span(positiveLow, positiveHigh, steps),
                        classicBounds);
                // Published first: a thread still incrementing the old cells finds them frozen and comes here.
                cells = wider;
                old.moveTo(wider, steps);
            } finally {
                lock.unlock();
            }
        }

        private int span(int low, int high, int steps) {
            return low > high ? 0 : ExponentialScale.coarser(high, steps) - ExponentialScale.coarser(low, steps) + 1;
        }

        @Override
        public long getCount() {
            return cells.count();
        }

        @Override
        public double getSum() {
            return sum.sum();
        }

        HistogramDataPointSnapshot snapshot(Labels labels) {
            long[] byClassic = new long[classicBounds.length];
            BucketCells current;
            NativeHistogramBuckets negative;
            NativeHistogramBuckets zero;
            NativeHistogramBuckets positive;
            lock.lock();
            try {
                current = cells;
                negative = current.negative.collect(current.counts, byClassic);
                zero = current.zero.collect(current.counts, byClassic);
                positive = current.positive.collect(current.counts, byClassic);
            } finally {
                lock.unlock();
            }
            long zeroCount = zero.size() == 0 ? 0 : zero.getCount(0);
            Exemplars sampled = sampler == null ? Exemplars.EMPTY : sampler.collect();
            return new HistogramDataPointSnapshot(
                    classic ? ClassicHistogramBuckets.of(classicBounds, byClassic) : ClassicHistogramBuckets.EMPTY,
                    current.schema, zeroCount, BucketCells.ZERO_THRESHOLD, positive, negative, sum.sum(), labels,
                    sampled, created);
        }
    }
}
