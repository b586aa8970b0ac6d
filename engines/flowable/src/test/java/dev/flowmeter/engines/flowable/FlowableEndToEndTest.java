package dev.flowmeter.engines.flowable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flowmeter.engines.flowable.fixtures.FlowableApp;
import dev.flowmeter.testkit.FixtureRun;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A real Flowable 7 engine on H2 in memory, in a JVM with the agent, runs a fixed load with failures
 * (see {@link FlowableApp}); every count on /metrics must equal what the fixture and the engine
 * counted themselves, and starting and stopping the async executor must flip its status.
 */
class FlowableEndToEndTest {

    // The same frame as CamundaEndToEndTest's on purpose: each library's test registers its own fixture and names
    // its engine's executor; the checks they share are FixtureRun's.
    private static final Duration LOAD_TIMEOUT = Duration.ofMinutes(5);
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final String ENGINE = "DefaultAsyncJobExecutor";

    @RegisterExtension
    static final FixtureRun run = FixtureRun.fixture(FlowableApp.class).readyAt("^done$", LOAD_TIMEOUT);

    @Test
    void delegateExecutionsPerClassAndOutcomeEqualWhatTheDelegatesCounted() {
        run.assertExecutionsAsCounted(Map.of("ChargeDelegate", "IllegalStateException",
                "PackDelegate", "UnsupportedOperationException", "ValidateDelegate", "IllegalArgumentException"));
    }

    @Test
    void jobAndTimerAcquisitionsEqualTheCommandsTheEngineRan() {
        assertTrue(run.truth("command AcquireJobsCmd ok") > 0 && run.truth("command AcquireTimerJobsCmd ok") > 0, run.truth().toString());
        assertEquals(0, run.truth().getOrDefault("command AcquireJobsCmd failed", 0L) + run.truth().getOrDefault("command AcquireTimerJobsCmd failed", 0L),
                run.truth().toString());
        run.scrape().assertCount(run.truth("command AcquireJobsCmd ok"), "task_poll_total", Map.of("task_type", "job"));
        run.scrape().assertCount(run.truth("command AcquireJobsCmd ok"), "task_poll_time_seconds_count", Map.of("task_type", "job", "status", "SUCCESS"));
        run.scrape().assertCount(run.truth("command AcquireTimerJobsCmd ok"), "task_poll_total", Map.of("task_type", "timer"));
        run.scrape().assertCount(run.truth("command AcquireTimerJobsCmd ok"), "task_poll_time_seconds_count",
                Map.of("task_type", "timer", "status", "SUCCESS"));
        run.scrape().assertCount(0, "task_poll_error_total", Map.of());
    }

    @Test
    void processStartsPerDefinitionKeyEqualWhatTheFixtureStarted() {
        for (String key : List.of("order", "review", "batch")) {
            assertTrue(run.truth("start " + key) > 0, run.truth().toString());
            run.scrape().assertCount(run.truth("start " + key), "workflow_start_time_seconds_count",
                    Map.of("workflow_type", key, "status", "SUCCESS"));
        }
        // Each batch's call activity started a quick instance of its own.
        run.scrape().assertCount(run.truth("start quick") + run.truth("start batch"), "workflow_start_time_seconds_count",
                Map.of("workflow_type", "quick", "status", "SUCCESS"));
        run.scrape().assertCount(0, "workflow_start_error_total", Map.of());
    }

    @Test
    void processEndsEqualTheEnginesHistoryDeadLettersAndRollbacks() {
        // The engine's own records agree with what the fixture did...
        assertEquals(run.truth("failing orders"), run.truth("dead letter jobs"), run.truth().toString());
        assertEquals(run.truth("start quick") - run.truth("rolled back quick") + run.truth("start batch"), run.truth("completed quick"), run.truth().toString());
        assertEquals(run.truth("start batch"), run.truth("completed batch"), run.truth().toString());
        assertTrue(run.truth("rolled back quick") > 0 && run.truth("deleted review") > 0 && run.truth("completed review") > 0, run.truth().toString());
        // ...and so do the agent's durations, by outcome.
        run.assertCompletedDurations(List.of("order", "quick", "review", "batch"));
        run.scrape().assertCount(run.truth("dead letter jobs"), "workflow_duration_seconds_count", Map.of("workflow_type", "order", "status", "FAILURE"));
        run.scrape().assertCount(run.truth("rolled back quick"), "workflow_duration_seconds_count", Map.of("workflow_type", "quick", "status", "FAILURE"));
        run.scrape().assertCount(run.truth("deleted review"), "workflow_duration_seconds_count", Map.of("workflow_type", "review", "status", "FAILURE"));
    }

    @Test
    void nothingIsInFlightAndEveryEndFoundItsStart() {
        // Orders waiting on a dead-letter job are still in the engine, but ended as failures here.
        assertEquals(run.truth("dead letter jobs"), run.truth("running order"), run.truth().toString());
        assertEquals(0, run.truth("running quick") + run.truth("running review") + run.truth("running batch"), run.truth().toString());
        run.assertNoWorkflowInFlight(List.of("order", "quick", "review", "batch"));
    }

    @Test
    void startingAndStoppingTheAsyncExecutorFlipsItsStatus() throws Exception {
        run.assertStartsAndStops(ENGINE, TIMEOUT);
    }

    @Test
    void theAgentRecordedWithoutErrors() {
        run.assertInstrumentedWithoutErrors("flowable");
    }

    @Test
    void theScrapeIsLintClean() throws Exception {
        run.assertLintClean();
    }
}
