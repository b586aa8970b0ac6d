package dev.flowmeter.agent.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.flowmeter.agent.config.TimerKind;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class WorkflowLifecycleTest {

    private static final long SECOND = 1_000_000_000L;

    private final Metrics metrics = new Metrics(TimerKind.HISTOGRAM, metric -> 100, 3, Duration.ofMinutes(1), "test");
    private final WorkflowLifecycle workflows = metrics.workflows();

    @Test
    void aPairedEndRecordsTheDurationAndLeavesNothingActive() {
        workflows.started("w1", "order", 10 * SECOND);
        workflows.started("w2", "order", 11 * SECOND);
        assertEquals(2, gauge("workflow_active"));
        workflows.ended("w1", "COMPLETED", 13 * SECOND);
        assertEquals(1, gauge("workflow_active"));
        HistogramSnapshot.HistogramDataPointSnapshot duration =
                (HistogramSnapshot.HistogramDataPointSnapshot) point("workflow_duration_seconds");
        assertEquals(1, duration.getCount());
        assertEquals(3.0, duration.getSum(), 1e-9);
    }

    @Test
    void pendingStartsAreBoundedByNumberAndAgeAndWhatFallsOutIsCounted() {
        for (int i = 0; i < 5; i++) {
            workflows.started("w" + i, "order", (10 + i) * SECOND);
        }
        assertEquals(3, gauge("workflow_active"));
        assertEquals(2, unpaired("evicted"));

        workflows.started("late", "order", 10 * SECOND + 61 * SECOND + 4 * SECOND);
        assertEquals(1, gauge("workflow_active"));
        assertEquals(3, unpaired("expired"));

        workflows.ended("w0", "COMPLETED", 80 * SECOND);
        assertEquals(1, unpaired("unknown_end"));
        assertEquals(1, gauge("workflow_active"));
    }

    private double gauge(String name) {
        return ((GaugeSnapshot.GaugeDataPointSnapshot) point(name)).getValue();
    }

    private double unpaired(String reason) {
        for (MetricSnapshot snapshot : metrics.registry().scrape()) {
            if (snapshot instanceof CounterSnapshot && snapshot.getMetadata().getPrometheusName().equals("flowmeter_workflows_unpaired")) {
                for (DataPointSnapshot point : snapshot.getDataPoints()) {
                    if (point.getLabels().get("reason").equals(reason)) {
                        return ((CounterSnapshot.CounterDataPointSnapshot) point).getValue();
                    }
                }
            }
        }
        throw new AssertionError("no flowmeter_workflows_unpaired_total{reason=" + reason + "}");
    }

    private DataPointSnapshot point(String name) {
        for (MetricSnapshot snapshot : metrics.registry().scrape()) {
            if (snapshot.getMetadata().getName().equals(name)) {
                return snapshot.getDataPoints().get(0);
            }
        }
        throw new AssertionError("no " + name);
    }
}
