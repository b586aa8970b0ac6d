package dev.flowmeter.agent.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prometheus.metrics.config.PrometheusProperties;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBucket;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.NativeHistogramBucket;
import io.prometheus.metrics.model.snapshots.NativeHistogramBuckets;
import io.prometheus.metrics.model.snapshots.Unit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The agent's native histogram against client_java's, which Prometheus' own clients agree with: the
 * same buckets for the same observations at the same schema, the same classic buckets, the counts
 * kept when the schema coarsens, and classic and native counts equal in every snapshot taken while
 * threads record.
 */
class NativeHistogramTest {

    private static final MetricFamily FAMILY = new MetricFamily("work_seconds", MetricFamily.Type.HISTOGRAM,
            "Work.", "kind");
    private static final double[] CLASSIC = HistogramTimer.BUCKETS;

    @Test
    void indexAndUpperBoundAgreeAtEverySchema() {
        Random random = new Random(1);
        for (int schema = ExponentialScale.MIN_SCHEMA; schema <= ExponentialScale.MAX_SCHEMA; schema++) {
            // Buckets from 2^-120 to 2^120: the agent's zero bucket takes everything up to 2^-128.
            int octaves = schema >= 0 ? 120 << schema : 120 >> -schema;
            for (int i = 0; i < 10_000; i++) {
                int index = random.nextInt(2 * octaves + 1) - octaves;
                double top = ExponentialScale.upperBound(index, schema);
                assertEquals(index, ExponentialScale.index(top, schema), "top of " + index + " at " + schema);
                assertEquals(index + 1, ExponentialScale.index(Math.nextUp(top), schema),
                        "above " + index + " at " + schema);
            }
        }
        assertEquals(0, ExponentialScale.index(1.0, 5));
        assertEquals(1, ExponentialScale.index(Math.nextUp(1.0), 5));
        assertEquals(32, ExponentialScale.index(2.0, 5));
        assertEquals(-1, ExponentialScale.index(0.5, 0));
    }

    @Test
    void theSameBucketsAsClientJavasAtTheSameSchemaWithZerosNegativesAndNaN() {
        Random random = new Random(2);
        List<Double> values = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            values.add(0.01 * Math.pow(10, random.nextDouble()));
            values.add(-0.3 - 0.2 * random.nextDouble());
        }
        values.addAll(List.of(0.0, -0.0, 1e-40, 0.01, 0.1, 0.05, Double.NaN));
        HistogramDataPointSnapshot ours = record(values, null);
        HistogramDataPointSnapshot theirs = clientJava(values, Histogram.builder(PrometheusProperties.builder().build())
                .nativeOnly());
        assertEquals(5, ours.getNativeSchema());
        assertEquals(theirs.getNativeSchema(), ours.getNativeSchema());
        assertEquals(theirs.getNativeZeroCount(), ours.getNativeZeroCount());
        assertEquals(3, ours.getNativeZeroCount());
        assertEquals(buckets(theirs.getNativeBucketsForPositiveValues()), buckets(ours.getNativeBucketsForPositiveValues()));
        assertEquals(buckets(theirs.getNativeBucketsForNegativeValues()), buckets(ours.getNativeBucketsForNegativeValues()));
        assertEquals(values.size() - 1, ours.getCount());
        assertEquals(theirs.getSum(), ours.getSum(), 1e-9);
        assertFalse(ours.hasClassicHistogramData());
    }

    @Test
    void bothKeepsTheClassicBucketsOfClientJavaIncludingValuesOnTheBounds() {
        List<Double> values = new ArrayList<>();
        Random random = new Random(3);
        for (int i = 0; i < 5_000; i++) {
            values.add(Math.exp(random.nextGaussian() * 2 - 3));
        }
        for (double bound : CLASSIC) {
            values.add(bound);
            values.add(Math.nextUp(bound));
            values.add(Math.nextDown(bound));
        }
        HistogramDataPointSnapshot ours = record(values, CLASSIC);
        HistogramDataPointSnapshot theirs = clientJava(values, Histogram.builder(PrometheusProperties.builder().build())
                .classicOnly().classicUpperBounds(CLASSIC));
        assertEquals(classic(theirs), classic(ours));
        assertEquals(values.size(), ours.getCount());
        assertTrue(ours.hasNativeHistogramData());
    }

    @Test
    void aWideRangeCoarsensTheSchemaKeepingEveryCountInItsBucket() {
        Random random = new Random(4);
        List<Double> values = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            values.add(Math.pow(10, random.nextDouble() * 12 - 6)); // a microsecond to eleven days
        }
        values.add(-1e-3);
        values.add(-1e5);
        HistogramDataPointSnapshot ours = record(values, CLASSIC);
        int schema = ours.getNativeSchema();
        assertTrue(schema < 5 && schema >= ExponentialScale.MIN_SCHEMA, "schema " + schema);
        Map<Integer, Long> positive = new TreeMap<>();
        Map<Integer, Long> negative = new TreeMap<>();
        for (double value : values) {
            (value > 0 ? positive : negative).merge(ExponentialScale.index(Math.abs(value), schema), 1L, Long::sum);
        }
        assertEquals(positive, buckets(ours.getNativeBucketsForPositiveValues()));
        assertEquals(negative, buckets(ours.getNativeBucketsForNegativeValues()));
        int first = ours.getNativeBucketsForPositiveValues().getBucketIndex(0);
        int last = ours.getNativeBucketsForPositiveValues().getBucketIndex(ours.getNativeBucketsForPositiveValues().size() - 1);
        assertTrue(last - first < NativeHistogram.MAX_BUCKETS, first + " to " + last);
        assertEquals(classic(clientJava(values, Histogram.builder(PrometheusProperties.builder().build())
                .classicOnly().classicUpperBounds(CLASSIC))), classic(ours));
    }

    @Test
    void snapshotsTakenWhileThreadsRecordAndWidenAgreeAndTheEndCountsAreExact() throws Exception {
        NativeHistogram histogram = new NativeHistogram(FAMILY, Unit.SECONDS, CLASSIC, null);
        DistributionDataPoint series = histogram.labelValues("a");
        int threads = 4;
        int perThread = 200_000;
        CountDownLatch start = new CountDownLatch(1);
        AtomicBoolean recording = new AtomicBoolean(true);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> recorders = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int seed = t;
            Thread recorder = new Thread(() -> {
                Random random = new Random(seed);
                awaitQuietly(start);
                for (int i = 0; i < perThread; i++) {
                    // The range grows as the run goes on, so the cells are replaced while others record.
                    double exponent = (random.nextDouble() - 0.5) * 20 * i / perThread;
                    series.observe((seed % 2 == 0 ? 1 : -1) * Math.pow(2, exponent));
                }
            });
            recorder.start();
            recorders.add(recorder);
        }
        Thread scraper = new Thread(() -> {
            try {
                while (recording.get()) {
                    // The snapshot's constructor rejects a classic count that differs from the native one.
                    histogram.collect();
                }
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        scraper.start();
        start.countDown();
        for (Thread recorder : recorders) {
            recorder.join();
        }
        recording.set(false);
        scraper.join();
        assertEquals(null, failure.get());
        HistogramDataPointSnapshot point = (HistogramDataPointSnapshot) histogram.collect().get(0).getDataPoints().get(0);
        assertEquals((long) threads * perThread, point.getCount());
        assertEquals((long) threads * perThread, series.getCount());
        long classicCount = 0;
        for (ClassicHistogramBucket bucket : point.getClassicBuckets()) {
            classicCount += bucket.getCount();
        }
        assertEquals(point.getCount(), classicCount);
    }

    private static HistogramDataPointSnapshot record(List<Double> values, double[] classic) {
        NativeHistogram histogram = new NativeHistogram(FAMILY, Unit.SECONDS, classic, null);
        DistributionDataPoint series = histogram.labelValues("a");
        values.forEach(series::observe);
        HistogramSnapshot snapshot = (HistogramSnapshot) histogram.collect().get(0);
        assertEquals("work_seconds", snapshot.getMetadata().getPrometheusName());
        return snapshot.getDataPoints().get(0);
    }

    private static HistogramDataPointSnapshot clientJava(List<Double> values, Histogram.Builder builder) {
        Histogram histogram = builder.name("work_seconds").help("Work.").withoutExemplars().build();
        values.forEach(histogram::observe);
        return histogram.collect().getDataPoints().get(0);
    }

    private static Map<Integer, Long> buckets(NativeHistogramBuckets buckets) {
        Map<Integer, Long> counts = new TreeMap<>();
        for (NativeHistogramBucket bucket : buckets) {
            counts.put(bucket.getBucketIndex(), bucket.getCount());
        }
        return counts;
    }

    private static List<String> classic(HistogramDataPointSnapshot point) {
        List<String> buckets = new ArrayList<>();
        for (ClassicHistogramBucket bucket : point.getClassicBuckets()) {
            buckets.add(bucket.getUpperBound() + ":" + bucket.getCount());
        }
        return buckets;
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
