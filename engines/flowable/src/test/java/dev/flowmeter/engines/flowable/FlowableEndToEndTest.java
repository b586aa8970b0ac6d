package dev.flowmeter.engines.flowable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flowmeter.engines.flowable.fixtures.FlowableApp;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A real Flowable 7 engine on H2 in memory, in a JVM with the agent, runs a fixed load with failures
 * (see {@link FlowableApp}); every count on /metrics must equal what the fixture and the engine
 * counted themselves, and starting and stopping the async executor must flip its status.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FlowableEndToEndTest {

    private static final Duration LOAD_TIMEOUT = Duration.ofMinutes(5);
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final String ENGINE = "DefaultAsyncJobExecutor";

    private InstrumentedJvm app;
    private final Map<String, Long> truth = new HashMap<>();
    private Scrape scrape;

    @BeforeAll
    void runTheLoad() throws Exception {
        app = InstrumentedJvm.fixture("port=0", FlowableApp.class);
        app.awaitStdout(Pattern.compile("^done$"), LOAD_TIMEOUT);
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
    void delegateExecutionsPerClassAndOutcomeEqualWhatTheDelegatesCounted() {
        for (String delegate : List.of("ChargeDelegate", "PackDelegate", "ValidateDelegate")) {
            for (String status : List.of("SUCCESS", "FAILURE")) {
                scrape.assertCount(truth("execute " + delegate + " " + status), "task_execute_time_seconds_count",
                        Map.of("task_type", delegate, "status", status));
            }
            assertTrue(truth("execute " + delegate + " FAILURE") > 0, truth.toString());
            scrape.assertCount(0, "task_active", Map.of("task_type", delegate));
        }
        scrape.assertCount(truth("execute ChargeDelegate FAILURE"), "task_execute_error_total",
                Map.of("task_type", "ChargeDelegate", "exception", "IllegalStateException"));
        scrape.assertCount(truth("execute PackDelegate FAILURE"), "task_execute_error_total",
                Map.of("task_type", "PackDelegate", "exception", "UnsupportedOperationException"));
        scrape.assertCount(truth("execute ValidateDelegate FAILURE"), "task_execute_error_total",
                Map.of("task_type", "ValidateDelegate", "exception", "IllegalArgumentException"));
    }

    @Test
    void jobAndTimerAcquisitionsEqualTheCommandsTheEngineRan() {
        assertTrue(truth("command AcquireJobsCmd ok") > 0 && truth("command AcquireTimerJobsCmd ok") > 0, truth.toString());
        assertEquals(0, truth.getOrDefault("command AcquireJobsCmd failed", 0L) + truth.getOrDefault("command AcquireTimerJobsCmd failed", 0L),
                truth.toString());
        scrape.assertCount(truth("command AcquireJobsCmd ok"), "task_poll_total", Map.of("task_type", "job"));
        scrape.assertCount(truth("command AcquireJobsCmd ok"), "task_poll_time_seconds_count", Map.of("task_type", "job", "status", "SUCCESS"));
        scrape.assertCount(truth("command AcquireTimerJobsCmd ok"), "task_poll_total", Map.of("task_type", "timer"));
        scrape.assertCount(truth("command AcquireTimerJobsCmd ok"), "task_poll_time_seconds_count",
                Map.of("task_type", "timer", "status", "SUCCESS"));
        scrape.assertCount(0, "task_poll_error_total", Map.of());
    }

    @Test
    void processStartsPerDefinitionKeyEqualWhatTheFixtureStarted() {
        for (String key : List.of("order", "review", "batch")) {
            assertTrue(truth("start " + key) > 0, truth.toString());
            scrape.assertCount(truth("start " + key), "workflow_start_time_seconds_count",
                    Map.of("workflow_type", key, "status", "SUCCESS"));
        }
        // Each batch's call activity started a quick instance of its own.
        scrape.assertCount(truth("start quick") + truth("start batch"), "workflow_start_time_seconds_count",
                Map.of("workflow_type", "quick", "status", "SUCCESS"));
        scrape.assertCount(0, "workflow_start_error_total", Map.of());
    }

    @Test
    void processEndsEqualTheEnginesHistoryDeadLettersAndRollbacks() {
        // The engine's own records agree with what the fixture did...
        assertEquals(truth("failing orders"), truth("dead letter jobs"), truth.toString());
        assertEquals(truth("start quick") - truth("rolled back quick") + truth("start batch"), truth("completed quick"), truth.toString());
        assertEquals(truth("start batch"), truth("completed batch"), truth.toString());
        assertTrue(truth("rolled back quick") > 0 && truth("deleted review") > 0 && truth("completed review") > 0, truth.toString());
        // ...and so do the agent's durations, by outcome.
        for (String key : List.of("order", "quick", "review", "batch")) {
            scrape.assertCount(truth("completed " + key), "workflow_duration_seconds_count",
                    Map.of("workflow_type", key, "status", "SUCCESS"));
        }
        scrape.assertCount(truth("dead letter jobs"), "workflow_duration_seconds_count", Map.of("workflow_type", "order", "status", "FAILURE"));
        scrape.assertCount(truth("rolled back quick"), "workflow_duration_seconds_count", Map.of("workflow_type", "quick", "status", "FAILURE"));
        scrape.assertCount(truth("deleted review"), "workflow_duration_seconds_count", Map.of("workflow_type", "review", "status", "FAILURE"));
    }

    @Test
    void nothingIsInFlightAndEveryEndFoundItsStart() {
        // Orders waiting on a dead-letter job are still in the engine, but ended as failures here.
        assertEquals(truth("dead letter jobs"), truth("running order"), truth.toString());
        assertEquals(0, truth("running quick") + truth("running review") + truth("running batch"), truth.toString());
        for (String key : List.of("order", "quick", "review", "batch")) {
            scrape.assertCount(0, "workflow_active", Map.of("workflow_type", key));
        }
        assertTrue(scrape.samples().stream().anyMatch(sample -> sample.name().equals("workflow_active")), scrape.text());
        scrape.assertCount(0, "flowmeter_workflows_unpaired_total", Map.of());
    }

    @Test
    void startingAndStoppingTheAsyncExecutorFlipsItsStatus() throws Exception {
        assertState(scrape, "STOPPED");
        app.send("start");
        app.awaitStdout(Pattern.compile("^started$"), TIMEOUT);
        assertState(app.scrape(), "RUNNING");
        app.send("stop");
        app.awaitStdout(Pattern.compile("^stopped$"), TIMEOUT);
        assertState(app.scrape(), "STOPPED");
    }

    @Test
    void theAgentRecordedWithoutErrors() {
        assertTrue(scrape.sum("flowmeter_instrumented_methods", Map.of("instrumentation", "flowable")) > 0, scrape.text());
        app.assertRecordedWithoutErrors(scrape);
    }

    @Test
    void theScrapeIsLintClean() throws Exception {
        Promtool.assertLintClean(app.scrape());
    }

    private void assertState(Scrape current, String state) {
        for (String each : List.of("RUNNING", "PAUSED", "STOPPED")) {
            assertEquals(each.equals(state) ? 1 : 0, (long) current.sum("workflow_engine_status",
                    Map.of("engine", ENGINE, "workflow_engine_status", each)), each + " while " + state + "\n" + current.text());
        }
    }

    private long truth(String key) {
        Long value = truth.get(key);
        if (value == null) {
            throw new AssertionError("the fixture printed no truth '" + key + "': " + truth);
        }
        return value;
    }
}
