package dev.flowmeter.engines.temporal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flowmeter.testkit.InstrumentedJvm;
import dev.flowmeter.testkit.Promtool;
import dev.flowmeter.testkit.Scrape;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The Temporal SDK's worker and client, with the in-memory test server, in a JVM started with the
 * packaged agent: a fixed load with failures, retries and rejected starts. Every count on /metrics
 * must equal what {@link TemporalApp} counted itself; pausing and resuming the worker factory must
 * flip workflow_engine_status. The tests run in order, as the last one stops the worker.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TemporalEndToEndTest {

    private static final Duration TIMEOUT = Duration.ofMinutes(4);
    private static final String WORKFLOW = "OrderWorkflow";
    private static final List<String> ACTIVITIES = List.of("Reserve", "Charge", "Ship");
    private static final Map<String, String> POLL_TYPES = Map.of(
            "PollActivityTaskQueue", "PollActivityTaskQueueRequest",
            "PollWorkflowTaskQueue", "PollWorkflowTaskQueueRequest");

    private InstrumentedJvm app;
    private final Map<String, Long> truth = new HashMap<>();
    private Scrape scrape;

    @BeforeAll
    void runTheLoad() throws Exception {
        app = InstrumentedJvm.fixture("port=0", TemporalApp.class);
        app.awaitStdout(Pattern.compile("^load done$"), TIMEOUT);
        truth.putAll(app.truth());
        scrape = app.scrape();
    }

    @AfterAll
    void stop() throws InterruptedException {
        if (app != null) {
            app.close();
        }
    }

    @Test
    @Order(1)
    void activityAttemptsByTypeAndOutcomeEqualWhatTheActivitiesCounted() {
        long failures = 0;
        for (String type : ACTIVITIES) {
            long attempts = truth("attempts " + type);
            long failed = truth.getOrDefault("failures " + type, 0L);
            failures += failed;
            assertTrue(attempts > 0, type + " must run: " + truth);
            scrape.assertCount(attempts - failed, "task_execute_time_seconds_count", Map.of("task_type", type, "status", "SUCCESS"));
            scrape.assertCount(failed, "task_execute_time_seconds_count", Map.of("task_type", type, "status", "FAILURE"));
            scrape.assertCount(0, "task_active", Map.of("task_type", type));
        }
        assertEquals(2, truth.keySet().stream().filter(key -> key.startsWith("failures ")).count(),
                "the load must fail both non-retryably (Charge) and retryably (Ship): " + truth);
        assertTrue(failures > 0);
        // A failed attempt is reported in handle()'s result, never thrown.
        scrape.assertCount(0, "task_execute_error_total", Map.of());
    }

    @Test
    @Order(2)
    void oneReplyPerAttemptWithTheActivityTypeItReports() {
        for (String type : ACTIVITIES) {
            scrape.assertCount(truth("attempts " + type), "task_update_time_seconds_count", Map.of("task_type", type, "status", "SUCCESS"));
        }
        long attempts = ACTIVITIES.stream().mapToLong(type -> truth("attempts " + type)).sum();
        scrape.assertCount(attempts, "task_update_time_seconds_count", Map.of());
        scrape.assertCount(0, "task_update_error_total", Map.of());
    }

    @Test
    @Order(3)
    void startsAndRejectedStartsByWorkflowTypeEqualWhatTheClientCounted() {
        long rejected = 0;
        for (Map.Entry<String, Long> entry : truth.entrySet()) {
            if (entry.getKey().startsWith("rejected ")) {
                String exception = entry.getKey().substring("rejected ".length());
                scrape.assertCount(entry.getValue(), "workflow_start_error_total", Map.of("workflow_type", WORKFLOW, "exception", exception));
                rejected += entry.getValue();
            }
        }
        assertEquals(TemporalApp.DUPLICATES.length, rejected, "the server must reject the duplicates: " + truth);
        scrape.assertCount(truth("started " + WORKFLOW), "workflow_start_time_seconds_count",
                Map.of("workflow_type", WORKFLOW, "status", "SUCCESS"));
        scrape.assertCount(rejected, "workflow_start_time_seconds_count", Map.of("workflow_type", WORKFLOW, "status", "FAILURE"));
        assertTrue(scrape.matching(sample -> sample.name().startsWith("workflow_active")).isEmpty(),
                "starts are not paired, so no run is counted as active");
        scrape.assertCount(0, "flowmeter_workflows_unpaired_total", Map.of());
    }

    @Test
    @Order(4)
    void closedRunsByStatusEqualTheResultsTheClientGot() {
        long completed = truth("completed " + WORKFLOW);
        long failed = truth("failed " + WORKFLOW);
        assertTrue(completed > 0 && failed > 0, truth.toString());
        scrape.assertCount(completed, "workflow_duration_seconds_count", Map.of("workflow_type", WORKFLOW, "status", "SUCCESS"));
        scrape.assertCount(failed, "workflow_duration_seconds_count", Map.of("workflow_type", WORKFLOW, "status", "FAILURE"));
        scrape.assertCount(completed + failed, "workflow_duration_seconds_count", Map.of());
    }

    /**
     * Each run's recorded duration lies between the span of its activity attempts, which it
     * contains, and the time from the client's start call to its result, which contains it. The
     * start time has millisecond precision, and so has the end's wall clock: 2 ms per run either way.
     */
    @Test
    @Order(5)
    void runDurationsLieBetweenWhatTheActivitiesAndTheClientMeasured() {
        for (String status : List.of("SUCCESS", "FAILURE")) {
            long runs = truth((status.equals("SUCCESS") ? "completed " : "failed ") + WORKFLOW);
            double tolerance = runs * 0.002;
            double recorded = scrape.sum("workflow_duration_seconds_sum", Map.of("workflow_type", WORKFLOW, "status", status));
            double within = truth("activity_micros " + WORKFLOW + " " + status) / 1e6;
            double outside = truth("client_micros " + WORKFLOW + " " + status) / 1e6;
            assertTrue(within > 0 && within < outside, status + ": activities " + within + " s, client " + outside + " s");
            assertTrue(recorded >= within - tolerance && recorded <= outside + tolerance, status + ": recorded " + recorded
                    + " s for " + runs + " runs, not within [" + within + ", " + outside + "] s +- " + tolerance + " s");
        }
    }

    /**
     * Long polls are always in flight, so the counts are compared at a moment when they stand still:
     * the app's count, taken between two equal scrapes, must equal them.
     */
    @Test
    @Order(6)
    void pollsByKindEqualThePollCallsTheAppsInterceptorSaw() throws Exception {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        for (int round = 1; ; round++) {
            Scrape before = app.scrape();
            app.send("polls " + round);
            String line = app.awaitStdout(Pattern.compile("^polls " + round + " "), TIMEOUT);
            Scrape after = app.scrape();
            if (!pollCounts(before).equals(pollCounts(after))) {
                assertTrue(System.nanoTime() < deadline, "poll counts never stood still");
                continue;
            }
            Map<String, String> expected = new HashMap<>();
            for (String entry : line.substring(line.indexOf(' ', "polls ".length()) + 1).split(" ")) {
                String[] methodAndCounts = entry.split("=");
                String[] counts = methodAndCounts[1].split("/");
                expected.put(POLL_TYPES.get(methodAndCounts[0]), counts[0] + "/" + counts[1]);
            }
            assertEquals(POLL_TYPES.size(), expected.size(), "both kinds must poll: " + line);
            assertEquals(expected, pollCounts(after), line);
            return;
        }
    }

    @Test
    @Order(7)
    void suspendingAndResumingPollingFlipTheEngineStatus() throws Exception {
        assertState("RUNNING", scrape);
        app.send("pause");
        app.awaitStdout(Pattern.compile("^paused$"), TIMEOUT);
        assertState("PAUSED", app.scrape());
        app.send("resume");
        app.awaitStdout(Pattern.compile("^resumed$"), TIMEOUT);
        assertState("RUNNING", app.scrape());
        app.send("stop");
        app.awaitStdout(Pattern.compile("^stopped$"), TIMEOUT);
        Scrape stopped = app.scrape();
        assertState("STOPPED", stopped);
        stopped.assertCount(0, "flowmeter_advice_errors_total", Map.of());
        List<String> agentErrors = app.stderr().stream()
                .filter(line -> line.startsWith("flowmeter") && !line.contains("serving metrics")).toList();
        assertTrue(agentErrors.isEmpty(), app.describe());
        assertTrue(stopped.sum("flowmeter_instrumented_methods", Map.of("instrumentation", "temporal")) > 0);
    }

    /** Per poll kind, {@code polls/errors} as scraped. */
    private static Map<String, String> pollCounts(Scrape scrape) {
        Map<String, String> counts = new HashMap<>();
        for (String type : POLL_TYPES.values()) {
            Map<String, String> kind = Map.of("task_type", type);
            long polls = (long) scrape.sum("task_poll_total", kind);
            assertEquals(polls, (long) scrape.sum("task_poll_time_seconds_count", kind), type);
            counts.put(type, polls + "/" + (long) scrape.sum("task_poll_error_total", kind));
        }
        return counts;
    }

    private static void assertState(String state, Scrape scrape) {
        for (String candidate : List.of("RUNNING", "PAUSED", "STOPPED")) {
            scrape.assertCount(candidate.equals(state) ? 1 : 0, "workflow_engine_status",
                    Map.of("engine", "WorkerFactory", "workflow_engine_status", candidate));
        }
    }

    private long truth(String key) {
        Long value = truth.get(key);
        assertTrue(value != null, "the app printed no truth " + key + ": " + truth);
        return value;
    }



    @Test
    void theScrapeIsLintClean() throws Exception {
        Promtool.assertLintClean(app.scrape());
    }
}
