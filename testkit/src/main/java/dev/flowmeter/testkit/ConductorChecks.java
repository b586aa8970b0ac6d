package dev.flowmeter.testkit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;
import java.util.regex.Pattern;

/**
 * The end-to-end checks of test-app's Conductor load, shared by the modules that run it (e2e with conductor-client
 * 4, engines/conductor with conductor-client 5): each compares a scrape with the stats test-app serves at
 * {@code /api/stats} (what its workers, load driver and API counted). The callers add what only their client does.
 */
public final class ConductorChecks {

    private static final Pattern IDENTIFIER = Pattern.compile(
            "(?i).*([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-f]{16,}|\\d{6,}).*");

    private ConductorChecks() {
    }

    /**
     * Executions per task type and status, and the exceptions thrown per type, equal what the workers counted.
     *
     * @return the failed executions (failed results and thrown exceptions) and, of them, the thrown ones
     */
    public static long[] assertExecutionsPerTaskTypeAndStatus(JsonNode stats, Scrape scrape) {
        JsonNode executions = stats.at("/tasks/executions");
        long failures = 0;
        long thrownInAll = 0;
        for (String taskType : names(executions)) {
            JsonNode counted = executions.get(taskType);
            long thrown = sum(counted.get("exceptions"));
            long failed = counted.get("failed_result").asLong() + thrown;
            failures += failed;
            thrownInAll += thrown;
            scrape.assertCount(counted.get("success").asLong(), "task_execute_time_seconds_count",
                    Map.of("task_type", taskType, "status", "SUCCESS"));
            scrape.assertCount(failed, "task_execute_time_seconds_count", Map.of("task_type", taskType, "status", "FAILURE"));
            scrape.assertCount(thrown, "task_execute_error_total", Map.of("task_type", taskType));
            for (String exception : names(counted.get("exceptions"))) {
                scrape.assertCount(counted.at("/exceptions/" + exception).asLong(), "task_execute_error_total",
                        Map.of("task_type", taskType, "exception", exception));
            }
        }
        return new long[] {failures, thrownInAll};
    }

    /** Updates, polls and paused polls per task type equal what the app counted, and the load paused a worker. */
    public static void assertUpdatesPollsAndPausesPerTaskType(JsonNode stats, Scrape scrape) {
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

    /** The server failed some polls and updates, and each is counted as an error of ConductorClientException. */
    public static void assertFailedPollsAndUpdatesAreErrors(JsonNode stats, Scrape scrape) {
        long failedPolls = apiCount(stats, "GET", "/tasks/poll/batch/{taskType}", code -> code >= 400);
        long failedUpdates = apiCount(stats, "POST", "/tasks/update-v2", code -> code >= 400)
                + apiCount(stats, "POST", "/tasks", code -> code >= 400);
        assertTrue(failedPolls > 0 && failedUpdates > 0, "the server must fail some polls and updates: " + stats.get("api"));
        scrape.assertCount(failedPolls, "task_poll_error_total", Map.of("exception", "ConductorClientException"));
        scrape.assertCount(failedPolls, "task_poll_time_seconds_count", Map.of("status", "FAILURE"));
        scrape.assertCount(failedUpdates, "task_update_error_total", Map.of("exception", "ConductorClientException"));
        scrape.assertCount(failedUpdates, "task_update_time_seconds_count", Map.of("status", "FAILURE"));
    }

    /** Workflow starts per type, successful and rejected, equal what the app counted; the load rejected one. */
    public static void assertWorkflowStartsPerType(JsonNode stats, Scrape scrape) {
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

    /**
     * API requests per method, URI template and status, and in all, equal what the server received.
     *
     * @return the requests the server received
     */
    public static long assertApiRequestsPerMethodUriTemplateAndStatus(JsonNode stats, Scrape scrape) {
        long total = 0;
        for (JsonNode call : stats.get("api")) {
            total += call.get("count").asLong();
            scrape.assertCount(call.get("count").asLong(), "api_request_time_seconds_count", Map.of(
                    "method", call.get("method").asText(), "uri", call.get("uri").asText(),
                    "status", call.get("status").asText()));
        }
        scrape.assertCount(total, "api_request_time_seconds_count", Map.of());
        return total;
    }

    /** Each of the families has a sample in the scrape. */
    public static void assertFamiliesPresent(Scrape scrape, List<String> families) {
        for (String family : families) {
            assertFalse(scrape.matching(sample -> sample.name().equals(family)).isEmpty(), family + " is missing");
        }
    }

    /** No label value but a bucket's bound looks like an identifier (a UUID, a long hex or decimal number). */
    public static void assertNoLabelValueIsAnIdentifier(Scrape scrape) {
        List<String> identifiers = new ArrayList<>();
        scrape.samples().forEach(sample -> sample.labels().forEach((name, value) -> {
            // le is a bucket's bound, such as the 1048576 bytes of a size histogram's
            if (!name.equals("le") && IDENTIFIER.matcher(value).matches()) {
                identifiers.add(sample.name() + "{" + name + "=" + value + "}");
            }
        }));
        assertTrue(identifiers.isEmpty(), identifiers.toString());
    }

    /** The calls of the API with that method and URI template whose status passes, as the server counted them. */
    public static long apiCount(JsonNode stats, String method, String uri, IntPredicate status) {
        long count = 0;
        for (JsonNode call : stats.get("api")) {
            if (call.get("method").asText().equals(method) && call.get("uri").asText().equals(uri)
                    && status.test(call.get("status").asInt())) {
                count += call.get("count").asLong();
            }
        }
        return count;
    }

    /** The field names of a JSON object. */
    public static List<String> names(JsonNode object) {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = object.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }

    /** The sum of a JSON object's (or array's) values. */
    public static long sum(JsonNode object) {
        long sum = 0;
        for (JsonNode value : object) {
            sum += value.asLong();
        }
        return sum;
    }
}
