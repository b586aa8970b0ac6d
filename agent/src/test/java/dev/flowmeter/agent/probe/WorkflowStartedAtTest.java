package dev.flowmeter.agent.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flowmeter.agent.bootstrap.Probe;
import dev.flowmeter.agent.config.TimerKind;
import dev.flowmeter.agent.metrics.Metrics;
import dev.flowmeter.agent.rules.Rule;
import dev.flowmeter.agent.rules.RuleException;
import dev.flowmeter.agent.rules.RuleParser;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code started_at} on a workflow end: the duration from the start time the end reads itself, by
 * the rule's workflow type and status, with no pairing by id and no workflow_active.
 */
class WorkflowStartedAtTest {

    /** What an engine's worker holds when it closes a run: its type and the run's start, stamped elsewhere. */
    public static final class Run {
        private final String type;
        private final Object startedMillis;

        Run(String type, Object startedMillis) {
            this.type = type;
            this.startedMillis = startedMillis;
        }

        public String getType() {
            return type;
        }

        public Object getStartedMillis() {
            return startedMillis;
        }
    }

    private final Metrics metrics = new Metrics(TimerKind.HISTOGRAM, metric -> 100, 10, Duration.ofMinutes(1), "test");

    @Test
    void theDurationIsFromTheStartTheEndReadsByItsTypeAndStatus() throws RuleException {
        Probe end = probe(rule("labels", Map.of("workflow_type", "arg0.type", "status", "arg1")));
        long before = System.currentTimeMillis();
        end.exit(end.enter(null, null), null, new Object[] {new Run("order", before - 2_000), "COMPLETED"}, null, null);
        end.exit(end.enter(null, null), null, new Object[] {new Run("order", before - 3_000), "COMPLETED"}, null, null);
        end.exit(end.enter(null, null), null, new Object[] {new Run("order", before - 500), "FAILED"}, null, null);
        double elapsed = (System.currentTimeMillis() - before) / 1000.0;

        HistogramSnapshot.HistogramDataPointSnapshot completed = duration("order", "COMPLETED");
        assertEquals(2, completed.getCount());
        assertTrue(completed.getSum() >= 5.0 && completed.getSum() <= 5.0 + 2 * elapsed, "sum " + completed.getSum());
        HistogramSnapshot.HistogramDataPointSnapshot failed = duration("order", "FAILED");
        assertEquals(1, failed.getCount());
        assertTrue(failed.getSum() >= 0.5 && failed.getSum() <= 0.5 + elapsed, "sum " + failed.getSum());

        assertEquals(0, unpaired("unknown_end"));
        for (MetricSnapshot snapshot : metrics.registry().scrape()) {
            if (snapshot.getMetadata().getName().equals("workflow_active")) {
                assertTrue(snapshot.getDataPoints().isEmpty(), "no start was opened, so none is active");
            }
        }
    }

    @Test
    void theStatusDefaultsToTheCallsOutcomeAndWhenSelectsTheCallsThatEndAWorkflow() throws RuleException {
        Probe end = probe(rule("labels", Map.of("workflow_type", "arg0.type"),
                "when", Map.of("value", "return", "in", List.of("true"))));
        long now = System.currentTimeMillis();
        end.exit(0, null, new Run("order", now), Boolean.TRUE, null);
        end.exit(0, null, new Run("order", now), Boolean.FALSE, null);
        end.exit(0, null, new Run("order", now), null, new IllegalStateException("a call that throws ends nothing"));
        assertEquals(1, duration("order", "SUCCESS").getCount());
    }

    @Test
    void aStartInTheFutureOfTheEndsClockCountsAsNoTime() throws RuleException {
        Probe end = probe(rule("labels", Map.of("workflow_type", "arg0.type")));
        end.exit(0, null, new Run("order", System.currentTimeMillis() + 60_000), null, null);
        assertEquals(1, duration("order", "SUCCESS").getCount());
        assertEquals(0.0, duration("order", "SUCCESS").getSum());
    }

    @Test
    void anEndWithoutAStartTimeIsAnUnknownEndAndANonNumberAnAdviceError() throws RuleException {
        Probe end = probe(rule("labels", Map.of("workflow_type", "arg0.type")));
        end.exit(0, null, new Run("order", null), null, null);
        assertEquals(1, unpaired("unknown_end"));

        // What exit throws, Probes.exit hands to the probe's failed(): an advice error, never the application's.
        for (Object notMillis : List.of(java.time.Instant.now(), "1712345678901")) {
            IllegalStateException error = assertThrows(IllegalStateException.class,
                    () -> end.exit(0, null, new Run("order", notMillis), null, null));
            assertTrue(error.getMessage().contains("not a number of epoch milliseconds"), error.getMessage());
        }
        assertTrue(metrics.registry().scrape().stream().noneMatch(s -> s.getMetadata().getName().equals("workflow_duration_seconds")
                && !s.getDataPoints().isEmpty()), "nothing recorded");
    }

    @Test
    void startedAtReplacesIdAndNeedsTheWorkflowType() {
        assertTrue(problem(rule("id", "arg0.id", "labels", Map.of("workflow_type", "arg0.type")))
                .contains("has both 'id' and 'started_at'"));
        assertTrue(problem(rule("labels", Map.of("status", "arg1"))).contains("needs label workflow_type"));
        assertTrue(problem(rule("labels", Map.of("workflow_type", "arg0.type", "task_type", "arg1")))
                .contains("has label 'task_type'"));
        assertTrue(problem(rule("started_at", "shared.start", "labels", Map.of("workflow_type", "arg0.type")))
                .contains("a shared label is text"));
        Map<String, Object> timer = new LinkedHashMap<>(Map.of("class", "a.B", "method", "close",
                "timer", "close_seconds", "started_at", "arg0"));
        assertTrue(problem(timer).contains("which only a workflow_end takes"));
        Map<String, Object> neither = new LinkedHashMap<>(Map.of("class", "a.B", "method", "close", "role", "workflow_end"));
        assertTrue(problem(neither).contains("needs 'id'"));
        assertTrue(problem(neither).contains("or 'started_at'"));
    }

    private Probe probe(Map<String, Object> yaml) throws RuleException {
        Rule rule = new RuleParser().parse(yaml, 1);
        return new ProbeMaker(metrics, new RunTime()).make(new RuleState(rule));
    }

    private static String problem(Map<String, Object> yaml) {
        return assertThrows(RuleException.class, () -> new RuleParser().parse(yaml, 1)).getMessage();
    }

    /** A workflow_end on a.B#close reading the start from arg0, with the given keys and values. */
    private static Map<String, Object> rule(Object... keysAndValues) {
        Map<String, Object> rule = new LinkedHashMap<>(Map.of("class", "a.B", "method", "close", "role", "workflow_end",
                "started_at", "arg0.startedMillis"));
        for (int i = 0; i < keysAndValues.length; i += 2) {
            rule.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return rule;
    }

    private HistogramSnapshot.HistogramDataPointSnapshot duration(String type, String status) {
        for (MetricSnapshot snapshot : metrics.registry().scrape()) {
            if (snapshot.getMetadata().getName().equals("workflow_duration_seconds")) {
                for (DataPointSnapshot point : snapshot.getDataPoints()) {
                    if (point.getLabels().get("workflow_type").equals(type) && point.getLabels().get("status").equals(status)) {
                        return (HistogramSnapshot.HistogramDataPointSnapshot) point;
                    }
                }
            }
        }
        throw new AssertionError("no workflow_duration_seconds{workflow_type=" + type + ",status=" + status + "}");
    }

    private double unpaired(String reason) {
        for (MetricSnapshot snapshot : metrics.registry().scrape()) {
            if (snapshot instanceof CounterSnapshot
                    && snapshot.getMetadata().getPrometheusName().equals("flowmeter_workflows_unpaired")) {
                for (DataPointSnapshot point : snapshot.getDataPoints()) {
                    if (point.getLabels().get("reason").equals(reason)) {
                        return ((CounterSnapshot.CounterDataPointSnapshot) point).getValue();
                    }
                }
            }
        }
        return 0;
    }
}
