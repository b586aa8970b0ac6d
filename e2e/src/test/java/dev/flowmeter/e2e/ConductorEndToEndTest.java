package dev.flowmeter.e2e;

import static dev.flowmeter.testkit.ConductorChecks.names;
import static dev.flowmeter.testkit.ConductorChecks.sum;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flowmeter.testkit.ConductorChecks;
import dev.flowmeter.testkit.Scrape;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * test-app, a Conductor server and conductor-client workers in one JVM with the agent, runs a fixed
 * load with failures; every count on /metrics must equal what the application counted itself.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConductorEndToEndTest {

    private static final int WORKFLOWS = 150;

    private TestAppRun run;
    private JsonNode stats;
    private Scrape scrape;

    @BeforeAll
    void runTheLoad() throws Exception {
        run = TestAppRun.finish("port=0", WORKFLOWS, "--fail-rate", "0.3", "--seed", "7", "--api-fail-every", "25");
        stats = run.stats();
        scrape = run.jvm().scrape();
    }

    @AfterAll
    void stop() throws InterruptedException {
        if (run != null) {
            run.close();
        }
    }

    @Test
    void executionsPerTaskTypeAndStatusEqualWhatTheWorkersCounted() {
        long failures = ConductorChecks.assertExecutionsPerTaskTypeAndStatus(stats, scrape)[0];
        assertTrue(failures > 0, "the load must contain failures: " + stats.at("/tasks/executions"));
    }

    @Test
    void updatesPollsAndPausesPerTaskTypeEqualWhatTheAppCounted() {
        ConductorChecks.assertUpdatesPollsAndPausesPerTaskType(stats, scrape);
    }

    /**
     * The task runner's other events: each execution started, each poll cycle that found every worker
     * thread busy, each result written to external payload storage, the threads processing a task
     * (none once the workers have stopped), and the latest durations.
     */
    @Test
    void startsQueueFullCyclesExternalPayloadsAndActiveWorkersEqualWhatTheAppCounted() {
        JsonNode executions = stats.at("/tasks/executions");
        for (String taskType : names(executions)) {
            JsonNode counted = executions.get(taskType);
            long executed = counted.get("success").asLong() + counted.get("failed_result").asLong()
                    + sum(counted.get("exceptions"));
            Map<String, String> labels = Map.of("task_type", taskType);
            scrape.assertCount(executed, "task_execution_started_total", labels);
            assertQueueFull(stats.at("/tasks/queue_full/" + taskType).asLong(), scrape.sum("task_execution_queue_full_total", labels),
                    taskType);
            assertEquals(1, scrape.matching(sample -> sample.name().equals("active_workers")
                    && sample.labels().equals(labels) && sample.value() == 0).size(), "active_workers of " + taskType);
            double lastPoll = scrape.sum("task_poll_time", labels);
            assertTrue(lastPoll > 0 && lastPoll < 2, "task_poll_time of " + taskType + ": " + lastPoll);
        }
        assertTrue(sum(stats.at("/tasks/queue_full")) > 0, "the load must find every worker thread busy: " + stats.get("tasks"));
        // ship_order's worker sleeps 5 to 15 ms.
        double lastShipment = scrape.sum("task_execute_time", Map.of("task_type", "ship_order"));
        assertTrue(lastShipment >= 0.005 && lastShipment < 1, "task_execute_time of ship_order: " + lastShipment);

        long written = stats.at("/external_payloads/TASK_OUTPUT").asLong();
        assertTrue(written > 0, "render_report's results must go to external storage: " + stats.get("external_payloads"));
        scrape.assertCount(written, "external_payload_used_total",
                Map.of("task_type", "render_report", "payload_type", "TASK_OUTPUT"));
        scrape.assertCount(sum(stats.get("external_payloads")), "external_payload_used_total", Map.of());
    }

    /**
     * The cycles that found every worker thread busy, as counted where the cycle returns: a thread that comes free
     * between the client's check and that return (the poll thread preempted on a busy machine) hides one, so the
     * count may fall short of the app's, by a few.
     */
    private static void assertQueueFull(long counted, double measured, String taskType) {
        assertTrue(measured <= counted && measured >= counted - Math.max(2, counted / 20),
                "task_execution_queue_full_total of " + taskType + ": " + measured + ", the app counted " + counted);
    }

    @Test
    void failedPollsAndUpdatesAreCountedAsErrorsByException() {
        ConductorChecks.assertFailedPollsAndUpdatesAreErrors(stats, scrape);
    }

    @Test
    void workflowStartsPerTypeEqualWhatTheAppCounted() {
        ConductorChecks.assertWorkflowStartsPerType(stats, scrape);
    }

    @Test
    void apiRequestsPerMethodUriTemplateAndStatusEqualWhatTheServerReceived() {
        ConductorChecks.assertApiRequestsPerMethodUriTemplateAndStatus(stats, scrape);
    }

    @Test
    void everyMetricOfTheTableIsThere() {
        ConductorChecks.assertFamiliesPresent(scrape, List.of("task_poll_total", "task_poll_time_seconds_bucket", "task_poll_error_total",
                "task_execute_time_seconds_sum", "task_execute_error_total", "task_update_time_seconds_count",
                "task_update_error_total", "task_paused_total", "workflow_start_time_seconds_bucket",
                "workflow_start_error_total", "api_request_time_seconds_bucket", "flowmeter_info", "task_poll_time",
                "task_execute_time", "task_execution_started_total", "active_workers", "task_execution_queue_full_total",
                "external_payload_used_total"));
    }

    @Test
    void theAgentRecordedWithoutErrors() {
        run.jvm().assertRecordedWithoutErrors(scrape);
    }

    @Test
    void noLabelValueIsAnIdentifier() {
        ConductorChecks.assertNoLabelValueIsAnIdentifier(scrape);
    }
}
