package dev.flowmeter.agent.metrics;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Exemplars;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Quantile;
import io.prometheus.metrics.model.snapshots.Quantiles;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;
import io.prometheus.metrics.model.snapshots.Unit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.DoubleAdder;

/**
 * Quantiles over a sliding window of the last {@link #WINDOW} observations, as the Conductor SDKs
 * publish them (their metric reference: the last 1000). client_java's own Summary keeps a decaying sketch whose observation costs hundreds
 * of nanoseconds; here an observation is one index increment, one array store and one add, and the
 * sorting happens at scrape time.
 */
final class WindowSummaryTimer implements Timer, MultiCollector {

    static final int WINDOW = 1000;
    static final double[] QUANTILES = {0.5, 0.75, 0.9, 0.95, 0.99};

    private final MetricFamily family;
    private final ConcurrentHashMap<List<String>, WindowSeries> series = new ConcurrentHashMap<>();

    WindowSummaryTimer(MetricFamily family, PrometheusRegistry registry) {
        this.family = family;
        registry.register(this);
    }

    @Override
    public Series series(String... labelValues) {
        return series.computeIfAbsent(Arrays.asList(labelValues.clone()), values -> new WindowSeries());
    }

    @Override
    public MetricSnapshots collect() {
        List<SummarySnapshot.SummaryDataPointSnapshot> points = new ArrayList<>();
        series.forEach((labelValues, window) -> points.add(window.snapshot(
                Labels.of(family.labelNames(), labelValues))));
        return MetricSnapshots.of(new SummarySnapshot(
                new MetricMetadata(family.name(), family.help(), Unit.SECONDS), points));
    }

    @Override
    public List<String> getPrometheusNames() {
        return List.of(family.name());
    }

    private static final class WindowSeries implements Series {
        private final double[] window = new double[WINDOW];
        private final AtomicLong count = new AtomicLong();
        private final DoubleAdder sum = new DoubleAdder();

        @Override
        public void observeNanos(long nanos) {
            double seconds = Unit.nanosToSeconds(nanos);
            window[(int) (count.getAndIncrement() % WINDOW)] = seconds;
            sum.add(seconds);
        }

        SummarySnapshot.SummaryDataPointSnapshot snapshot(Labels labels) {
            long observed = count.get();
            double[] recent = Arrays.copyOf(window, (int) Math.min(observed, WINDOW));
            Arrays.sort(recent);
            List<Quantile> quantiles = new ArrayList<>(QUANTILES.length);
            for (double q : QUANTILES) {
                quantiles.add(new Quantile(q, recent.length == 0 ? Double.NaN : recent[nearestRank(q, recent.length)]));
            }
            return new SummarySnapshot.SummaryDataPointSnapshot(
                    observed, sum.sum(), Quantiles.of(quantiles), labels, Exemplars.EMPTY, 0L);
        }

        private static int nearestRank(double quantile, int size) {
            return Math.max(0, (int) Math.ceil(quantile * size) - 1);
        }
    }
}
