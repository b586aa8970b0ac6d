package dev.flowmeter.agent.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.flowmeter.agent.bootstrap.Probe;
import dev.flowmeter.agent.config.TimerKind;
import dev.flowmeter.agent.metrics.Metrics;
import dev.flowmeter.agent.rules.Rule;
import dev.flowmeter.agent.rules.RuleException;
import dev.flowmeter.agent.rules.RuleParser;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A task_execute rule finds its series once, on entry (for task_active), and its exit records the
 * timer in that same series; calls nested in the outermost one record nothing of their own.
 */
class TaskExecuteProbeTest {

    private final Metrics metrics = new Metrics(TimerKind.HISTOGRAM, metric -> 100, 10, Duration.ofMinutes(1), "test");

    @Test
    void theExitRecordsInTheSeriesTheEntryFoundAndActiveGoesBackToZero() throws RuleException {
        Probe execute = probe();
        long entered = execute.enter(null, "charge");
        assertEquals(1, active("charge"));
        execute.exit(entered, null, "charge", "COMPLETED", null);
        assertEquals(0, active("charge"));

        entered = execute.enter(null, "ship");
        execute.exit(entered, null, "ship", "FAILED", null);
        entered = execute.enter(null, "charge");
        execute.exit(entered, null, "charge", null, new IllegalStateException("declined"));

        assertEquals(1, timer("charge", "SUCCESS"));
        assertEquals(1, timer("charge", "FAILURE"));
        assertEquals(1, timer("ship", "FAILURE"));
        assertEquals(0, active("charge"));
        assertEquals(0, active("ship"));
    }

    @Test
    void aNestedCallIsMeasuredByTheOutermostOnce() throws RuleException {
        Probe execute = probe();
        long outer = execute.enter(null, "charge");
        long inner = execute.enter(null, "charge");
        assertEquals(1, active("charge"));
        execute.exit(inner, null, "charge", "COMPLETED", null);
        assertEquals(1, active("charge"));
        execute.exit(outer, null, "charge", "COMPLETED", null);
        assertEquals(0, active("charge"));
        assertEquals(1, timer("charge", "SUCCESS"));

        // The frame is clean for the next call on the thread.
        execute.exit(execute.enter(null, "ship"), null, "ship", "COMPLETED", null);
        assertEquals(1, timer("ship", "SUCCESS"));
        assertEquals(1, timer("charge", "SUCCESS"));
    }

    @Test
    void callsOnOtherThreadsKeepTheirOwnSeries() throws Exception {
        Probe execute = probe();
        long outer = execute.enter(null, "charge");
        Thread other = new Thread(() -> execute.exit(execute.enter(null, "ship"), null, "ship", "COMPLETED", null));
        other.start();
        other.join();
        execute.exit(outer, null, "charge", "COMPLETED", null);
        assertEquals(1, timer("ship", "SUCCESS"));
        assertEquals(1, timer("charge", "SUCCESS"));
        assertEquals(0, active("charge"));
        assertEquals(0, active("ship"));
    }

    private Probe probe() throws RuleException {
        Map<String, Object> yaml = new LinkedHashMap<>(Map.of("class", "a.Worker", "method", "execute",
                "role", "task_execute", "labels", Map.of("task_type", "arg0"),
                "failed_when", Map.of("value", "return", "in", java.util.List.of("FAILED"))));
        Rule rule = new RuleParser().parse(yaml, 1);
        return new ProbeMaker(metrics, new RunTime()).make(new RuleState(rule));
    }

    private long timer(String taskType, String status) {
        for (MetricSnapshot snapshot : metrics.registry().scrape()) {
            if (snapshot.getMetadata().getName().equals("task_execute_time_seconds")) {
                for (DataPointSnapshot point : snapshot.getDataPoints()) {
                    if (point.getLabels().get("task_type").equals(taskType) && point.getLabels().get("status").equals(status)) {
                        return ((HistogramSnapshot.HistogramDataPointSnapshot) point).getCount();
                    }
                }
            }
        }
        return 0;
    }

    private double active(String taskType) {
        for (MetricSnapshot snapshot : metrics.registry().scrape()) {
            if (snapshot.getMetadata().getName().equals("task_active")) {
                for (DataPointSnapshot point : snapshot.getDataPoints()) {
                    if (point.getLabels().get("task_type").equals(taskType)) {
                        return ((GaugeSnapshot.GaugeDataPointSnapshot) point).getValue();
                    }
                }
            }
        }
        throw new AssertionError("no task_active{task_type=" + taskType + "}");
    }
}
