package dev.flowmeter.engines.temporal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flowmeter.testkit.FixtureRun;
import dev.flowmeter.testkit.Scrape;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Temporal SDK's worker and client, with the in-memory test server, in a JVM started with the
 * packaged agent: a fixed load with failures, retries and rejected starts. Every count on /metrics
 * must equal what {@link TemporalApp} counted itself; pausing and resuming the worker factory must
 * flip workflow_engine_status. The tests run in order, as the last one stops the worker.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TemporalEndToEndTest {

    private static final Duration TIMEOUT = Duration.ofMinutes(4);
    private static final String ENGINE = "WorkerFactory";
    private static final String WORKFLOW = "OrderWorkflow";
    private static final List<String> ACTIVITIES = List.of("Reserve", "Charge", "Ship");
    private static final Map<String, String> POLL_TYPES = Map.of(
            "PollActivityTaskQueue", "PollActivityTaskQueueRequest",
            "PollWorkflowTaskQueue", "PollWorkflowTaskQueueRequest");

    @RegisterExtension
    static final FixtureRun run = FixtureRun.fixture(TemporalApp.class).readyAt("^load done$", TIMEOUT);

    @Test
    @Order(1)
    void activityAttemptsByTypeAndOutcomeEqualWhatTheActivitiesCounted() {
        long failures = 0;
        for (String type : ACTIVITIES) {
            long attempts = run.truth("attempts " + type);
            long failed = run.truth().getOrDefault("failures " + type, 0L);
            failures += failed;
            assertTrue(attempts > 0, type + " must run: " + run.truth());
            run.scrape().assertCount(attempts - failed, "task_execute_time_seconds_count", Map.of("task_type", type, "status", "SUCCESS"));
            run.scrape().assertCount(failed, "task_execute_time_seconds_count", Map.of("task_type", type, "status", "FAILURE"));
            run.scrape().assertCount(0, "task_active", Map.of("task_type", type));
        }
        assertEquals(2, run.truth().keySet().stream().filter(key -> key.startsWith("failures ")).count(),
                "the load must fail both non-retryably (Charge) and retryably (Ship): " + run.truth());
        assertTrue(failures > 0);
        // A failed attempt is reported in handle()'s result, never thrown.
        run.scrape().assertCount(0, "task_execute_error_total", Map.of());
    }

    @Test
    @Order(2)
    void oneReplyPerAttemptWithTheActivityTypeItReports() {
        for (String type : ACTIVITIES) {
            run.scrape().assertCount(run.truth("attempts " + type), "task_update_time_seconds_count", Map.of("task_type", type, "status", "SUCCESS"));
        }
        long attempts = ACTIVITIES.stream().mapToLong(type -> run.truth("attempts " + type)).sum();
        run.scrape().assertCount(attempts, "task_update_time_seconds_count", Map.of());
        run.scrape().assertCount(0, "task_update_error_total", Map.of());
    }

    @Test
    @Order(3)
    void startsAndRejectedStartsByWorkflowTypeEqualWhatTheClientCounted() {
        long rejected = 0;
        for (Map.Entry<String, Long> entry : run.truth().entrySet()) {
            if (entry.getKey().startsWith("rejected ")) {
                String exception = entry.getKey().substring("rejected ".length());
                run.scrape().assertCount(entry.getValue(), "workflow_start_error_total", Map.of("workflow_type", WORKFLOW, "exception", exception));
                rejected += entry.getValue();
            }
        }
        assertEquals(TemporalApp.DUPLICATES.length, rejected, "the server must reject the duplicates: " + run.truth());
        run.scrape().assertCount(run.truth("started " + WORKFLOW), "workflow_start_time_seconds_count",
                Map.of("workflow_type", WORKFLOW, "status", "SUCCESS"));
        run.scrape().assertCount(rejected, "workflow_start_time_seconds_count", Map.of("workflow_type", WORKFLOW, "status", "FAILURE"));
        assertTrue(run.scrape().matching(sample -> sample.name().startsWith("workflow_active")).isEmpty(),
                "starts are not paired, so no run is counted as active");
        run.scrape().assertCount(0, "flowmeter_workflows_unpaired_total", Map.of());
    }

    @Test
    @Order(4)
    void closedRunsByStatusEqualTheResultsTheClientGot() {
        long completed = run.truth("completed " + WORKFLOW);
        long failed = run.truth("failed " + WORKFLOW);
        assertTrue(completed > 0 && failed > 0, run.truth().toString());
        run.scrape().assertCount(completed, "workflow_duration_seconds_count", Map.of("workflow_type", WORKFLOW, "status", "SUCCESS"));
        run.scrape().assertCount(failed, "workflow_duration_seconds_count", Map.of("workflow_type", WORKFLOW, "status", "FAILURE"));
        run.scrape().assertCount(completed + failed, "workflow_duration_seconds_count", Map.of());
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
            long runs = run.truth((status.equals("SUCCESS") ? "completed " : "failed ") + WORKFLOW);
            double tolerance = runs * 0.002;
            double recorded = run.scrape().sum("workflow_duration_seconds_sum", Map.of("workflow_type", WORKFLOW, "status", status));
            double within = run.truth("activity_micros " + WORKFLOW + " " + status) / 1e6;
            double outside = run.truth("client_micros " + WORKFLOW + " " + status) / 1e6;
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
            Scrape before = run.app().scrape();
            run.app().send("polls " + round);
            String line = run.app().awaitStdout(Pattern.compile("^polls " + round + " "), TIMEOUT);
            Scrape after = run.app().scrape();
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
        run.scrape().assertEngineStatus(ENGINE, "RUNNING");
        run.assertEngineStatusAfter("pause", "^paused$", TIMEOUT, ENGINE, "PAUSED");
        run.assertEngineStatusAfter("resume", "^resumed$", TIMEOUT, ENGINE, "RUNNING");
        run.app().sendAndAwait("stop", "^stopped$", TIMEOUT);
        Scrape stopped = run.app().scrape();
        stopped.assertEngineStatus(ENGINE, "STOPPED");
        stopped.assertCount(0, "flowmeter_advice_errors_total", Map.of());
        List<String> agentErrors = run.app().stderr().stream()
                .filter(line -> line.startsWith("flowmeter") && !line.contains("serving metrics")).toList();
        assertTrue(agentErrors.isEmpty(), run.app().describe());
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

    @Test
    void theScrapeIsLintClean() throws Exception {
        run.assertLintClean();
    }
}
