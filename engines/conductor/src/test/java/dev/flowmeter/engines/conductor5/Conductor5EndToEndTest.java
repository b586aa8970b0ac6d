package dev.flowmeter.engines.conductor5;

import static dev.flowmeter.testkit.ConductorChecks.apiCount;
import static dev.flowmeter.testkit.ConductorChecks.names;
import static dev.flowmeter.testkit.ConductorChecks.sum;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.netflix.conductor.client.http.TaskClient;
import dev.flowmeter.testapp.TestApp;
import dev.flowmeter.testkit.ConductorChecks;
import dev.flowmeter.testkit.InstrumentedJvm;
import dev.flowmeter.testkit.Promtool;
import dev.flowmeter.testkit.Scrape;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * test-app (its Conductor API, engine, load driver and workers) compiled against conductor-client 5, run with the
 * agent on a JDK of Java 21 or later: a fixed load with failed results, thrown exceptions, paused polls, rejected
 * workflow starts and polls and updates answered with HTTP 500; every count on /metrics must equal what the
 * application counted itself, exactly as e2e's ConductorEndToEndTest holds conductor-client 4 to. Each subclass is
 * one run of the client's.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class Conductor5EndToEndTest {

    private static final int WORKFLOWS = 150;
    private static final Pattern API_URL = Pattern.compile("Conductor API at (http://\\S+/api)");
    private static final Pattern VIRTUAL_EXECUTIONS = Pattern.compile("test-app: (\\d+) task executions on virtual threads");

    /** Whether the workers execute on virtual threads, conductor-client 5's option for Java 21. */
    abstract boolean virtualThreads();

    /** Whether the client reports results with {@code POST /tasks/update-v2} (TaskClient#updateTaskV2). */
    abstract boolean updateV2();

    InstrumentedJvm jvm;
    String apiUrl;
    JsonNode stats;
    Scrape scrape;

    @BeforeAll
    void runTheLoad() throws Exception {
        jvm = InstrumentedJvm.fixture("port=0",
                List.of("-DtaskUpdateV2=" + updateV2(), "-cp", System.getProperty("java.class.path")), TestApp.class,
                "--workflows", String.valueOf(WORKFLOWS), "--api-port", "0", "--fail-rate", "0.3", "--seed", "7",
                "--api-fail-every", "25", "--virtual-threads", String.valueOf(virtualThreads()));
        Matcher api = API_URL.matcher(jvm.awaitStdout(API_URL, InstrumentedJvm.START_TIMEOUT));
        assertTrue(api.find());
        // The workers have stopped when this is printed, so neither the stats nor the agent's counts move any more.
        jvm.awaitStdout(Pattern.compile("all " + WORKFLOWS + " workflows finished"), Duration.ofMinutes(3));
        apiUrl = api.group(1);
        stats = currentStats();
        assertTrue(stats.get("all_finished").asBoolean(), stats.toPrettyString());
        scrape = jvm.scrape();
    }

    @AfterAll
    void stop() throws InterruptedException {
        if (jvm != null) {
            jvm.close();
        }
    }

    @Test
    void theClientIsConductorClient5OnJava21OrLater() throws Exception {
        // The fixture's class path is this JVM's: the client in it is the one the fixture ran.
        Path jar = Path.of(TaskClient.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        assertEquals("conductor-client-" + System.getProperty("flowmeter.conductor-client.version") + ".jar",
                jar.getFileName().toString());
        assertFalse(System.getProperty("java.class.path").contains("conductor-client-4"),
                "no conductor-client 4 on the fixture's class path: " + System.getProperty("java.class.path"));
        String version = InstrumentedJvm.javaVersion();
        assertTrue(Integer.parseInt(version.split("[.\\-+]")[0]) >= 21,
                "conductor-client 5 needs Java 21 or later; the fixture ran on " + version);
    }

    @Test
    void executionsPerTaskTypeAndStatusEqualWhatTheWorkersCounted() {
        long[] failuresAndThrown = ConductorChecks.assertExecutionsPerTaskTypeAndStatus(stats, scrape);
        for (String taskType : names(stats.at("/tasks/executions"))) {
            // Every execution has ended: none is left in progress.
            scrape.assertCount(0, "task_active", Map.of("task_type", taskType));
        }
        assertTrue(failuresAndThrown[0] > failuresAndThrown[1] && failuresAndThrown[1] > 0,
                "the load must contain failed results and thrown exceptions: " + stats.at("/tasks/executions"));
    }

    @Test
    void updatesPollsAndPausesPerTaskTypeEqualWhatTheAppCounted() {
        assertFalse(names(stats.at("/tasks/updates")).isEmpty(), "the load must update tasks: " + stats.get("tasks"));
        ConductorChecks.assertUpdatesPollsAndPausesPerTaskType(stats, scrape);
    }

    /**
     * The task runner's events in client 5: executions started, results written to external payload storage, no
     * thread left processing a task, and, where update-v2 does not hand tasks out with its replies (so that the
     * app's count of cycles that polled nothing is exact), the cycles that found every worker thread busy.
     */
    @Test
    void startedExecutionsExternalPayloadsQueueFullCyclesAndActiveWorkersEqualWhatTheAppCounted() {
        for (String taskType : names(stats.at("/tasks/executions"))) {
            JsonNode counted = stats.at("/tasks/executions/" + taskType);
            Map<String, String> ofType = Map.of("task_type", taskType);
            scrape.assertCount(counted.get("success").asLong() + counted.get("failed_result").asLong()
                    + sum(counted.get("exceptions")), "task_execution_started_total", ofType);
            assertFalse(scrape.matching(sample -> sample.name().equals("active_workers") && sample.labels().equals(ofType)
                    && sample.value() == 0).isEmpty(), "active_workers of " + taskType + " back to 0");
            // Counted where the cycle returns, so a thread that comes free just before may hide one (README).
            long cycles = stats.at("/tasks/queue_full/" + taskType).asLong();
            double queueFull = scrape.sum("task_execution_queue_full_total", ofType);
            assertTrue(updateV2() || queueFull <= cycles && queueFull >= cycles - Math.max(2, cycles / 20),
                    "task_execution_queue_full_total of " + taskType + ": " + queueFull + ", the app counted " + cycles);
        }
        long written = stats.at("/external_payloads/TASK_OUTPUT").asLong();
        assertTrue(written > 0, "render_report's results must go to external storage: " + stats);
        scrape.assertCount(written, "external_payload_used_total",
                Map.of("task_type", "render_report", "payload_type", "TASK_OUTPUT"));
    }

    @Test
    void theUpdatesWentToTheEndpointAskedFor() {
        String used = updateV2() ? "/tasks/update-v2" : "/tasks";
        String unused = updateV2() ? "/tasks" : "/tasks/update-v2";
        assertTrue(apiCount(stats, "POST", used, code -> true) > 0, "no update through " + used + ": " + stats.get("api"));
        assertEquals(0, apiCount(stats, "POST", unused, code -> true), "updates through " + unused + ": " + stats.get("api"));
    }

    @Test
    void failedPollsAndUpdatesAreCountedAsErrorsByException() {
        ConductorChecks.assertFailedPollsAndUpdatesAreErrors(stats, scrape);
    }

    @Test
    void workflowStartsPerTypeEqualWhatTheAppCounted() {
        assertEquals(WORKFLOWS, sum(stats.at("/workflows/started")), stats.get("workflows").toString());
        ConductorChecks.assertWorkflowStartsPerType(stats, scrape);
    }

    @Test
    void apiRequestsPerMethodUriTemplateAndStatusEqualWhatTheServerReceived() {
        long total = ConductorChecks.assertApiRequestsPerMethodUriTemplateAndStatus(stats, scrape);
        assertTrue(total > WORKFLOWS, "the server must have been called: " + stats.get("api"));
    }

    /** The payload sizes conductor-client 5 measured (test-app enforces its thresholds), as test-app heard them. */
    @Test
    void payloadSizesEqualWhatTheClientMeasured() throws Exception {
        for (String[] family : new String[][] {{"task_result_size", "task_type"}, {"workflow_input_size", "workflow_type"}}) {
            InstrumentedJvm.assertAgree(() -> sizes(currentStats(), family[0]),
                    () -> jvm.scrape().totalsBy(family[0], family[1]), Duration.ofSeconds(30));
            assertFalse(sizes(currentStats(), family[0]).isEmpty(), family[0] + " measured nothing");
        }
    }

    private JsonNode currentStats() throws Exception {
        return new ObjectMapper().readTree(InstrumentedJvm.get(apiUrl + "/stats"));
    }

    /** What test-app counted of one size family: "TYPE count" and "TYPE sum". */
    private static Map<String, Long> sizes(JsonNode stats, String family) {
        Map<String, Long> sizes = new java.util.TreeMap<>();
        stats.at("/payloads/" + family).fields().forEachRemaining(type -> type.getValue().fields().forEachRemaining(
                total -> sizes.put(type.getKey() + " " + total.getKey(), total.getValue().asLong())));
        return sizes;
    }

    @Test
    void theExecutionsRanOnTheThreadsAskedFor() throws Exception {
        long executions = 0;
        for (JsonNode counted : stats.at("/tasks/executions")) {
            executions += counted.get("success").asLong() + counted.get("failed_result").asLong()
                    + sum(counted.get("exceptions"));
        }
        if (virtualThreads()) {
            Matcher line = VIRTUAL_EXECUTIONS.matcher(jvm.awaitStdout(VIRTUAL_EXECUTIONS, Duration.ofSeconds(10)));
            assertTrue(line.find());
            assertTrue(executions > 0);
            assertEquals(executions, Long.parseLong(line.group(1)), "executions on virtual threads, of " + executions);
        } else {
            assertTrue(jvm.stdout().stream().noneMatch(VIRTUAL_EXECUTIONS.asPredicate()), jvm.describe());
        }
    }

    @Test
    void everyMetricOfTheTableIsThere() {
        ConductorChecks.assertFamiliesPresent(scrape, List.of("task_poll_total", "task_poll_time_seconds_bucket", "task_poll_error_total",
                "task_execute_time_seconds_sum", "task_execute_error_total", "task_active", "task_update_time_seconds_count",
                "task_update_error_total", "task_paused_total", "workflow_start_time_seconds_bucket",
                "workflow_start_error_total", "api_request_time_seconds_bucket", "flowmeter_info"));
    }

    @Test
    void theAgentRecordedWithoutErrors() {
        jvm.assertRecordedWithoutErrors(scrape);
    }

    @Test
    void promtoolFindsNothingToLint() throws Exception {
        Promtool.assertLintClean(scrape);
    }

    @Test
    void noLabelValueIsAnIdentifier() {
        ConductorChecks.assertNoLabelValueIsAnIdentifier(scrape);
    }
}
