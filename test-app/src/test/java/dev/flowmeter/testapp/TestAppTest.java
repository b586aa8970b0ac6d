package dev.flowmeter.testapp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

class TestAppTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper mapper = new ObjectMapper();

    /** conductor-client's TaskRunner reads the system property {@code taskUpdateV2} to pick its update endpoint. */
    @ParameterizedTest(name = "taskUpdateV2={0}")
    @ValueSource(booleans = {false, true})
    void countsAreConsistent(boolean updateV2) throws Exception {
        System.setProperty("taskUpdateV2", String.valueOf(updateV2));
        try (TestApp app = TestApp.start("--workflows", "30", "--fail-rate", "0.3", "--api-port", "0",
                "--api-fail-every", "10")) {
            // A worker that threw reports its task twice, the second time possibly after the workflow finished;
            // an update answered with 500 is sent again.
            JsonNode stats = awaitStats(app, s -> s.get("all_finished").asBoolean()
                    && sum(s.at("/tasks/updates")) == expectedUpdates(s.at("/tasks/executions"))
                            + apiSum(apiCounts(s), (updateV2 ? "POST /tasks/update-v2 " : "POST /tasks ") + "500"));

            JsonNode workflows = stats.get("workflows");
            workflows.get("started").fields().forEachRemaining(started -> assertEquals(started.getValue().asLong(),
                    workflows.at("/completed/" + started.getKey()).asLong()
                            + workflows.at("/failed/" + started.getKey()).asLong(), started.getKey()));
            assertEquals(30, sum(workflows.get("started")));
            assertTrue(sum(workflows.get("failed")) > 0, "fail rate 0.3 failed no workflow");
            assertEquals(0, stats.get("in_flight").asLong());
            assertEquals("RUNNING", stats.get("engine").asText());

            Map<String, Long> api = apiCounts(stats);
            assertEquals(sum(stats.at("/tasks/polls")), apiSum(api, "GET /tasks/poll/batch/{taskType} "));
            assertEquals(30, api.get("POST /workflow 200"));
            assertEquals(2, api.get("POST /workflow 404"));
            assertEquals(2, stats.at("/workflows/rejected/unregistered_flow").asLong());
            assertEquals(5, stats.at("/tasks/paused/render_report").asLong());
            assertTrue(api.get("GET /tasks/poll/batch/{taskType} 500") > 0, "no injected poll failure in " + api);
            assertEquals(sum(stats.at("/tasks/updates")),
                    apiSum(api, updateV2 ? "POST /tasks/update-v2 " : "POST /tasks "));
            assertFalse(api.keySet().stream().anyMatch(call -> !call.endsWith(" 200") && !call.endsWith(" 204")
                    && !call.equals("POST /workflow 404") && !(call.endsWith(" 500") && !call.startsWith("POST /workflow"))),
                    "unexpected statuses in " + api);
        } finally {
            System.clearProperty("taskUpdateV2");
        }
    }

    @Test
    void pausedEngineHandsOutNoTasks() throws Exception {
        try (TestApp app = TestApp.start("--workflows", "0", "--api-port", "0")) {
            assertEquals("PAUSED", send(app, "POST", "/engine/pause", null).body());
            String workflowId = send(app, "POST", "/workflow", "{\"name\":\"report_generation\",\"input\":{\"sequence\":0}}").body();
            assertEquals(36, workflowId.length(), workflowId);
            long pollsBefore = stats(app).at("/tasks/polls/validate_order").asLong();
            JsonNode paused = awaitStats(app, s -> s.at("/tasks/polls/validate_order").asLong() >= pollsBefore + 2);
            assertEquals("PAUSED", paused.get("engine").asText());
            assertEquals(0, paused.at("/tasks/executions/validate_order/success").asLong());
            assertEquals(1, paused.get("in_flight").asLong());

            assertEquals("RUNNING", send(app, "POST", "/engine/resume", null).body());
            awaitStats(app, s -> s.get("all_finished").asBoolean());
            assertEquals(404, send(app, "GET", "/no/such/path", null).statusCode());
        }
    }

    @Test
    void keepsWorkflowsInFlight() throws Exception {
        try (TestApp app = TestApp.start("--workflows", "250", "--in-flight", "8", "--api-port", "0")) {
            JsonNode stats = awaitStats(app, s -> s.get("all_finished").asBoolean());
            JsonNode workflows = stats.get("workflows");
            assertEquals(250, sum(workflows.get("started")));
            assertEquals(250, sum(workflows.get("completed")) + sum(workflows.get("failed")));
            assertEquals(2, stats.at("/workflows/rejected/unregistered_flow").asLong());
        }
    }

    @Test
    void rejectsUnknownArguments() {
        assertThrows(IllegalArgumentException.class, () -> TestApp.start("--workflow", "3"));
        assertThrows(IllegalArgumentException.class, () -> TestApp.start("--in-flight", "0"));
        assertThrows(IllegalArgumentException.class, () -> TestApp.start("--virtual-threads", "yes"));
    }

    /** test-app is built with conductor-client 4, whose workers have no virtual threads (engines/conductor runs 5). */
    @Test
    void refusesVirtualThreadsWithConductorClient4() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> TestApp.start("--virtual-threads", "true", "--workflows", "0", "--api-port", "0"));
        assertTrue(refused.getMessage().contains("--virtual-threads needs"), refused.getMessage());
    }

    private static long expectedUpdates(JsonNode executions) {
        long updates = 0;
        for (JsonNode execution : executions) {
            updates += execution.get("success").asLong() + execution.get("failed_result").asLong()
                    + 2 * sum(execution.get("exceptions"));
        }
        return updates;
    }

    private static Map<String, Long> apiCounts(JsonNode stats) {
        Map<String, Long> counts = new TreeMap<>();
        stats.get("api").forEach(call -> counts.put(
                call.get("method").asText() + " " + call.get("uri").asText() + " " + call.get("status").asInt(),
                call.get("count").asLong()));
        return counts;
    }

    private static long apiSum(Map<String, Long> api, String prefix) {
        return api.entrySet().stream().filter(e -> e.getKey().startsWith(prefix)).mapToLong(Map.Entry::getValue).sum();
    }

    private static long sum(JsonNode counts) {
        long sum = 0;
        for (JsonNode count : counts) {
            sum += count.asLong();
        }
        return sum;
    }

    private JsonNode awaitStats(TestApp app, Predicate<JsonNode> condition) throws Exception {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        JsonNode stats = stats(app);
        while (!condition.test(stats)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Stats did not get there within " + TIMEOUT + ": " + stats);
            }
            Thread.sleep(50);
            stats = stats(app);
        }
        return stats;
    }

    private JsonNode stats(TestApp app) throws IOException, InterruptedException {
        return mapper.readTree(send(app, "GET", "/stats", null).body());
    }

    private HttpResponse<String> send(TestApp app, String method, String path, String json)
            throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + app.port() + "/api" + path))
                .header("Content-Type", "application/json")
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
