package dev.flowmeter.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flowmeter.testkit.Scrape;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
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
    private static final Pattern IDENTIFIER = Pattern.compile(
            "(?i).*([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-f]{16,}|\\d{6,}).*");

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
        JsonNode executions = stats.at("/tasks/executions");
        long failures = 0;
        for (String taskType : names(executions)) {
            JsonNode counted = executions.get(taskType);
            long thrown = sum(counted.get("exceptions"));
            long failed = counted.get("failed_result").asLong() + thrown;
            failures += failed;
            scrape.assertCount(counted.get("success").asLong(), "task_execute_time_seconds_count",
                    Map.of("task_type", taskType, "status", "SUCCESS"));
            scrape.assertCount(failed, "task_execute_time_seconds_count", Map.of("task_type", taskType, "status", "FAILURE"));
            scrape.assertCount(thrown, "task_execute_error_total", Map.of("task_type", taskType));
            for (String exception : names(counted.get("exceptions"))) {
                scrape.assertCount(counted.at("/exceptions/" + exception).asLong(), "task_execute_error_total",
                        Map.of("task_type", taskType, "exception", exception));
            }
        }
        assertTrue(failures > 0, "the load must contain failures: " + executions);
    }

    @Test
    void updatesPollsAndPausesPerTaskTypeEqualWhatTheAppCounted() {
        for (String taskType : names(stats.at("/tasks/updates"))) {
            scrape.assertCount(stats.at("/tasks/updates/" + taskType).asLong(), "task_update_time_seconds_count",
                    Map.of("task_type", taskType));
            scrape.assertCount(stats.at("/tasks/polls/" + taskType).asLong(), "task_poll_total", Map.of("task_type", taskType));
            scrape.assertCount(stats.at("/tasks/polls/" + taskType).asLong(), "task_poll_time_seconds_count",
                    Map.of("task_type", taskType));
            scrape.assertCount(stats.at("/tasks/paused/" + taskType).asLong(), "task_paused_total", Map.of("task_type", taskType));
        }
        assertTrue(scrape.sum("task_paused_total", Map.of()) > 0, "the load must pause a worker");
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
        long failedPolls = apiCount("GET", "/tasks/poll/batch/{taskType}", code -> code >= 400);
        long failedUpdates = apiCount("POST", "/tasks/update-v2", code -> code >= 400)
                + apiCount("POST", "/tasks", code -> code >= 400);
        assertTrue(failedPolls > 0 && failedUpdates > 0, "the server must fail some polls and updates: " + stats.get("api"));
        scrape.assertCount(failedPolls, "task_poll_error_total", Map.of("exception", "ConductorClientException"));
        scrape.assertCount(failedPolls, "task_poll_time_seconds_count", Map.of("status", "FAILURE"));
        scrape.assertCount(failedUpdates, "task_update_error_total", Map.of("exception", "ConductorClientException"));
        scrape.assertCount(failedUpdates, "task_update_time_seconds_count", Map.of("status", "FAILURE"));
    }

    @Test
    void workflowStartsPerTypeEqualWhatTheAppCounted() {
        JsonNode started = stats.at("/workflows/started");
        for (String workflowType : names(started)) {
            scrape.assertCount(started.get(workflowType).asLong(), "workflow_start_time_seconds_count",
                    Map.of("workflow_type", workflowType, "status", "SUCCESS"));
        }
        JsonNode rejected = stats.at("/workflows/rejected");
        assertTrue(sum(rejected) > 0, "the load must include a rejected start: " + stats.get("workflows"));
        for (String workflowType : names(rejected)) {
            scrape.assertCount(rejected.get(workflowType).asLong(), "workflow_start_error_total",
                    Map.of("workflow_type", workflowType, "exception", "ConductorClientException"));
            scrape.assertCount(rejected.get(workflowType).asLong(), "workflow_start_time_seconds_count",
                    Map.of("workflow_type", workflowType, "status", "FAILURE"));
        }
    }

    @Test
    void apiRequestsPerMethodUriTemplateAndStatusEqualWhatTheServerReceived() {
        long total = 0;
        for (JsonNode call : stats.get("api")) {
            total += call.get("count").asLong();
            scrape.assertCount(call.get("count").asLong(), "api_request_time_seconds_count", Map.of(
                    "method", call.get("method").asText(), "uri", call.get("uri").asText(),
                    "status", call.get("status").asText()));
        }
        scrape.assertCount(total, "api_request_time_seconds_count", Map.of());
    }

    @Test
    void everyMetricOfTheTableIsThere() {
        for (String family : List.of("task_poll_total", "task_poll_time_seconds_bucket", "task_poll_error_total",
                "task_execute_time_seconds_sum", "task_execute_error_total", "task_update_time_seconds_count",
                "task_update_error_total", "task_paused_total", "workflow_start_time_seconds_bucket",
                "workflow_start_error_total", "api_request_time_seconds_bucket", "flowmeter_info", "task_poll_time",
                "task_execute_time", "task_execution_started_total", "active_workers", "task_execution_queue_full_total",
                "external_payload_used_total")) {
            assertFalse(scrape.matching(sample -> sample.name().equals(family)).isEmpty(), family + " is missing");
        }
    }

    @Test
    void theAgentRecordedWithoutErrors() {
        run.jvm().assertRecordedWithoutErrors(scrape);
    }

    @Test
    void noLabelValueIsAnIdentifier() {
        List<String> identifiers = new ArrayList<>();
        scrape.samples().forEach(sample -> sample.labels().forEach((name, value) -> {
            // le is a bucket's bound, such as the 1048576 bytes of a size histogram's
            if (!name.equals("le") && IDENTIFIER.matcher(value).matches()) {
                identifiers.add(sample.name() + "{" + name + "=" + value + "}");
            }
        }));
        assertTrue(identifiers.isEmpty(), identifiers.toString());
    }


    private long apiCount(String method, String uri, java.util.function.IntPredicate status) {
        long count = 0;
        for (JsonNode call : stats.get("api")) {
            if (call.get("method").asText().equals(method) && call.get("uri").asText().equals(uri)
                    && status.test(call.get("status").asInt())) {
                count += call.get("count").asLong();
            }
        }
        return count;
    }

    private static List<String> names(JsonNode object) {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = object.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }

    private static long sum(JsonNode object) {
        long sum = 0;
        for (JsonNode value : object) {
            sum += value.asLong();
        }
        return sum;
    }
}
