package dev.flowmeter.engines.camunda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flowmeter.engines.camunda.fixtures.CamundaApp;
import dev.flowmeter.testkit.FixtureRun;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A real Camunda 7 engine on H2 in memory, in a JVM with the agent, runs a fixed load with failures
 * (see {@link CamundaApp}); every count on /metrics must equal what the fixture and the engine
 * counted themselves, and starting and stopping the job executor must flip its status.
 */
class CamundaEndToEndTest {

    private static final Duration LOAD_TIMEOUT = Duration.ofMinutes(5);
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final String ENGINE = "DefaultJobExecutor";

    @RegisterExtension
    static final FixtureRun run = FixtureRun.fixture(CamundaApp.class).readyAt("^done$", LOAD_TIMEOUT);

    @Test
    void delegateExecutionsPerClassAndOutcomeEqualWhatTheDelegatesCounted() {
        run.assertExecutionsAsCounted(Map.of("ChargeDelegate", "IllegalStateException",
                "ValidateDelegate", "IllegalArgumentException"));
    }

    @Test
    void jobAcquisitionsEqualTheEnginesOwnCount() {
        assertTrue(run.truth("acquisitions") > 0, run.truth().toString());
        run.scrape().assertCount(run.truth("acquisitions"), "task_poll_total", Map.of("task_type", "job"));
        run.scrape().assertCount(run.truth("acquisitions"), "task_poll_time_seconds_count", Map.of("task_type", "job", "status", "SUCCESS"));
        run.scrape().assertCount(0, "task_poll_error_total", Map.of());
    }

    @Test
    void externalTaskResultsPerTopicEqualWhatTheWorkerReported() {
        assertTrue(run.truth("shipping failure") > 0 && run.truth("shipping bpmn_error") > 0, run.truth().toString());
        run.scrape().assertCount(run.truth("shipping complete"), "task_update_time_seconds_count",
                Map.of("task_type", "shipping", "status", "SUCCESS"));
        run.scrape().assertCount(run.truth("shipping failure") + run.truth("shipping bpmn_error"), "task_update_time_seconds_count",
                Map.of("task_type", "shipping", "status", "FAILURE"));
        run.scrape().assertCount(0, "task_update_error_total", Map.of());
    }

    @Test
    void processStartsPerDefinitionKeyEqualWhatTheFixtureStarted() {
        for (String key : List.of("order", "quick", "review")) {
            run.scrape().assertCount(run.truth("start " + key + " SUCCESS"), "workflow_start_time_seconds_count",
                    Map.of("workflow_type", key, "status", "SUCCESS"));
        }
        assertTrue(run.truth("start quick FAILURE") > 0, run.truth().toString());
        run.scrape().assertCount(run.truth("start quick FAILURE"), "workflow_start_time_seconds_count",
                Map.of("workflow_type", "quick", "status", "FAILURE"));
        run.scrape().assertCount(run.truth("start quick FAILURE"), "workflow_start_error_total", Map.of("workflow_type", "quick"));
    }

    @Test
    void processEndsIncidentsAndCancellationsEqualTheEnginesHistory() {
        // The engine's own records agree with what the fixture did...
        assertEquals(run.truth("declined orders"), run.truth("incidents"), run.truth().toString());
        assertEquals(run.truth("start quick SUCCESS"), run.truth("completed quick"), run.truth().toString());
        assertEquals(run.truth("approved review"), run.truth("completed review"), run.truth().toString());
        assertEquals(run.truth("deleted review"), run.truth("terminated review"), run.truth().toString());
        assertTrue(run.truth("incidents") > 0 && run.truth("terminated review") > 0, run.truth().toString());
        // ...and so do the agent's durations, by outcome.
        run.assertCompletedDurations(List.of("order", "quick", "review"));
        run.scrape().assertCount(run.truth("incidents"), "workflow_duration_seconds_count", Map.of("workflow_type", "order", "status", "FAILURE"));
        run.scrape().assertCount(run.truth("terminated review"), "workflow_duration_seconds_count",
                Map.of("workflow_type", "review", "status", "FAILURE"));
        run.scrape().assertCount(0, "workflow_duration_seconds_count", Map.of("workflow_type", "quick", "status", "FAILURE"));
    }

    @Test
    void nothingIsInFlightAndEveryEndFoundItsStart() {
        // Instances waiting on an incident are still in the engine, but ended as failures here.
        assertEquals(run.truth("incidents"), run.truth("running order"), run.truth().toString());
        run.assertNoWorkflowInFlight(List.of("order", "quick", "review"));
    }

    @Test
    void startingAndStoppingTheJobExecutorFlipsItsStatus() throws Exception {
        run.assertStartsAndStops(ENGINE, TIMEOUT);
    }

    @Test
    void theAgentRecordedWithoutErrors() {
        run.assertInstrumentedWithoutErrors("camunda");
    }

    @Test
    void theScrapeIsLintClean() throws Exception {
        run.assertLintClean();
    }
}
