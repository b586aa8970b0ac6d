package dev.flowmeter.bench;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The reference: what a developer would write by hand with client_java 1.x to record what the
 * rules record (a histogram by outcome, an error counter by exception), with the data points cached,
 * and those of a label taken from an argument cached by the label's value. Its histograms are
 * classic-bucket, native or both, as the agent's {@code histograms} setting makes its own.
 */
final class HandWritten {

    private static final double[] BUCKETS = {0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300};

    private final Work work = new Work();
    private final Timed plain;
    private final Timed fails;
    private final Histogram labelledTimer;
    private final Counter labelledErrors;
    private final ConcurrentHashMap<String, Timed> labelled = new ConcurrentHashMap<>();

    /** @param histograms classic, native or both */
    HandWritten(String histograms) {
        PrometheusRegistry registry = new PrometheusRegistry();
        plain = new Timed(histogram(registry, histograms, "hand_plain_seconds"), counter(registry, "hand_plain_error"));
        fails = new Timed(histogram(registry, histograms, "hand_fails_seconds"), counter(registry, "hand_fails_error"));
        labelledTimer = histogram(registry, histograms, "hand_labelled_seconds", "kind");
        labelledErrors = counter(registry, "hand_labelled_error", "kind");
    }

    // plain, labelled and fails are alike on purpose: the code a developer writes at each call; a shared wrapper
    // taking a lambda would make the benchmark measure another reference than that.
    int plain(int value) {
        long start = System.nanoTime();
        try {
            int result = work.plain(value);
            plain.success.observe(Unit.nanosToSeconds(System.nanoTime() - start));
            return result;
        } catch (RuntimeException e) {
            plain.failed(System.nanoTime() - start, e);
            throw e;
        }
    }

    int labelled(String kind, int value) {
        long start = System.nanoTime();
        Timed timed = labelled.get(kind);
        if (timed == null) {
            timed = labelled.computeIfAbsent(kind, k -> new Timed(labelledTimer, labelledErrors, k));
        }
        try {
            int result = work.labelled(kind, value);
            timed.success.observe(Unit.nanosToSeconds(System.nanoTime() - start));
            return result;
        } catch (RuntimeException e) {
            timed.failed(System.nanoTime() - start, e);
            throw e;
        }
    }

    int fails(int value) {
        long start = System.nanoTime();
        try {
            int result = work.fails(value);
            fails.success.observe(Unit.nanosToSeconds(System.nanoTime() - start));
            return result;
        } catch (RuntimeException e) {
            fails.failed(System.nanoTime() - start, e);
            throw e;
        }
    }

    private static Histogram histogram(PrometheusRegistry registry, String histograms, String name, String... labels) {
        String[] names = new String[labels.length + 1];
        System.arraycopy(labels, 0, names, 0, labels.length);
        names[labels.length] = "status";
        Histogram.Builder builder = Histogram.builder().name(name).labelNames(names).withoutExemplars();
        switch (histograms) {
            case "native" -> builder.nativeOnly();
            case "both" -> builder.classicUpperBounds(BUCKETS);
            default -> builder.classicOnly().classicUpperBounds(BUCKETS);
        }
        return builder.register(registry);
    }

    private static Counter counter(PrometheusRegistry registry, String name, String... labels) {
        String[] names = new String[labels.length + 1];
        System.arraycopy(labels, 0, names, 0, labels.length);
        names[labels.length] = "exception";
        return Counter.builder().name(name).labelNames(names).withoutExemplars().register(registry);
    }

    /** The cached data points of one label set. */
    private static final class Timed {
        final DistributionDataPoint success;
        final DistributionDataPoint failure;
        final Counter errors;
        final String[] labels;
        final ConcurrentHashMap<Class<?>, CounterDataPoint> errorsByClass = new ConcurrentHashMap<>();

        Timed(Histogram timer, Counter errors, String... labels) {
            this.success = timer.labelValues(append(labels, "SUCCESS"));
            this.failure = timer.labelValues(append(labels, "FAILURE"));
            this.errors = errors;
            this.labels = labels;
        }

        void failed(long nanos, RuntimeException e) {
            failure.observe(Unit.nanosToSeconds(nanos));
            CounterDataPoint counter = errorsByClass.get(e.getClass());
            if (counter == null) {
                counter = errorsByClass.computeIfAbsent(e.getClass(),
                        type -> errors.labelValues(append(labels, type.getSimpleName())));
            }
            counter.inc();
        }

        private static String[] append(String[] values, String last) {
            String[] appended = java.util.Arrays.copyOf(values, values.length + 1);
            appended[values.length] = last;
            return appended;
        }
    }
}
