package dev.flowmeter.bench;

import dev.flowmeter.agent.config.TimerKind;
import dev.flowmeter.agent.metrics.Metrics;
import dev.flowmeter.agent.metrics.Role;
import dev.flowmeter.agent.metrics.RoleSeries;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.metrics.Summary;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of recording one timed call, per {@code timers} setting: the agent's histogram and its
 * sliding-window summary, beside client_java's own Summary with the same quantiles, which the
 * window summary exists to avoid.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class TimerBenchmark {

    private RoleSeries histogram;
    private RoleSeries windowSummary;
    private DistributionDataPoint clientJavaSummary;
    private long nanos;

    @Setup
    public void setUp() {
        histogram = series(TimerKind.HISTOGRAM);
        windowSummary = series(TimerKind.SUMMARY);
        clientJavaSummary = Summary.builder().name("client_java_summary_seconds").labelNames("task_type", "status")
                .quantile(0.5).quantile(0.75).quantile(0.9).quantile(0.95).quantile(0.99)
                .withoutExemplars().register(new PrometheusRegistry()).labelValues("bench", "SUCCESS");
    }

    private static RoleSeries series(TimerKind kind) {
        return new Metrics(kind, metric -> 2000, 10_000, Duration.ofHours(24), "bench").role(Role.TASK_EXECUTE).index()
                .create(new String[] {"bench"});
    }

    /** A spread of durations, so that buckets and windows see different values. */
    private long nextNanos() {
        nanos = (nanos + 7_919_113) % 2_000_000_000L;
        return nanos;
    }

    @Benchmark
    public void histogram() {
        histogram.record(nextNanos(), false, null);
    }

    @Benchmark
    public void windowSummary() {
        windowSummary.record(nextNanos(), false, null);
    }

    @Benchmark
    public void clientJavaSummary() {
        clientJavaSummary.observe(nextNanos() / 1e9);
    }
}
