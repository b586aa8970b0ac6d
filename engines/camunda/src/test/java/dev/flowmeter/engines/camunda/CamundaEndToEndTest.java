package dev.flowmeter.engines.camunda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flowmeter.engines.camunda.fixtures.CamundaApp;
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
 * A real Camunda 7 engine on H2 in memory, in a JVM with the agent, runs a fixed load with failures
 * (see {@link CamundaApp}); every count on /metrics must equal what the fixture and the engine
 * counted themselves, and starting and stopping the job executor must flip its status.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CamundaEndToEndTest {

    private static final Duration LOAD_TIMEOUT = Duration.ofMinutes(5);
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final String ENGINE = "DefaultJobExecutor";

    private InstrumentedJvm app;
    private final Map<String, Long> truth = new HashMap<>();
    private Scrape scrape;

    @BeforeAll
    void runTheLoad() throws Exception {
        app = InstrumentedJvm.fixture("port=0", CamundaApp.class);
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
        for (String delegate : List.of("ChargeDelegate", "ValidateDelegate")) {
            for (String status : List.of("SUCCESS", "FAILURE")) {
                scrape.assertCount(truth("execute " + delegate + " " + status), "task_execute_time_seconds_count",
                        Map.of("task_type", delegate, "status", status));
            }
            scrape.assertCount(0, "task_active", Map.of("task_type", delegate));
        }
        assertTrue(truth("execute ChargeDelegate FAILURE") > 0 && truth("execute ValidateDelegate FAILURE") > 0, truth.toString());
        scrape.assertCount(truth("execute ChargeDelegate FAILURE"), "task_execute_error_total",
                Map.of("task_type", "ChargeDelegate", "exception", "IllegalStateException"));
        scrape.assertCount(truth("execute ValidateDelegate FAILURE"), "task_execute_error_total",
                Map.of("task_type", "ValidateDelegate", "exception", "IllegalArgumentException"));
    }

    @Test
    void jobAcquisitionsEqualTheEnginesOwnCount() {
        assertTrue(truth("acquisitions") > 0, truth.toString());
        scrape.assertCount(truth("acquisitions"), "task_poll_total", Map.of("task_type", "job"));
        scrape.assertCount(truth("acquisitions"), "task_poll_time_seconds_count", Map.of("task_type", "job", "status", "SUCCESS"));
        scrape.assertCount(0, "task_poll_error_total", Map.of());
    }

    @Test
    void externalTaskResultsPerTopicEqualWhatTheWorkerReported() {
        assertTrue(truth("shipping failure") > 0 && truth("shipping bpmn_error") > 0, truth.toString());
        scrape.assertCount(truth("shipping complete"), "task_update_time_seconds_count",
                Map.of("task_type", "shipping", "status", "SUCCESS"));
        scrape.assertCount(truth("shipping failure") + truth("shipping bpmn_error"), "task_update_time_seconds_count",
                Map.of("task_type", "shipping", "status", "FAILURE"));
        scrape.assertCount(0, "task_update_error_total", Map.of());
    }

    @Test
    void processStartsPerDefinitionKeyEqualWhatTheFixtureStarted() {
        for (String key : List.of("order", "quick", "review")) {
            scrape.assertCount(truth("start " + key + " SUCCESS"), "workflow_start_time_seconds_count",
                    Map.of("workflow_type", key, "status", "SUCCESS"));
        }
        assertTrue(truth("start quick FAILURE") > 0, truth.toString());
        scrape.assertCount(truth("start quick FAILURE"), "workflow_start_time_seconds_count",
                Map.of("workflow_type", "quick", "status", "FAILURE"));
        scrape.assertCount(truth("start quick FAILURE"), "workflow_start_error_total", Map.of("workflow_type", "quick"));
    }

    @Test
    void processEndsIncidentsAndCancellationsEqualTheEnginesHistory() {
        // The engine's own records agree with what the fixture did...
        assertEquals(truth("declined orders"), truth("incidents"), truth.toString());
        assertEquals(truth("start quick SUCCESS"), truth("completed quick"), truth.toString());
        assertEquals(truth("approved review"), truth("completed review"), truth.toString());
        assertEquals(truth("deleted review"), truth("terminated review"), truth.toString());
        assertTrue(truth("incidents") > 0 && truth("terminated review") > 0, truth.toString());
        // ...and so do the agent's durations, by outcome.
        for (String key : List.of("order", "quick", "review")) {
            scrape.assertCount(truth("completed " + key), "workflow_duration_seconds_count",
                    Map.of("workflow_type", key, "status", "SUCCESS"));
        }
        scrape.assertCount(truth("incidents"), "workflow_duration_seconds_count", Map.of("workflow_type", "order", "status", "FAILURE"));
        scrape.assertCount(truth("terminated review"), "workflow_duration_seconds_count",
                Map.of("workflow_type", "review", "status", "FAILURE"));
        scrape.assertCount(0, "workflow_duration_seconds_count", Map.of("workflow_type", "quick", "status", "FAILURE"));
    }

    @Test
    void nothingIsInFlightAndEveryEndFoundItsStart() {
        // Instances waiting on an incident are still in the engine, but ended as failures here.
        assertEquals(truth("incidents"), truth("running order"), truth.toString());
        for (String key : List.of("order", "quick", "review")) {
            scrape.assertCount(0, "workflow_active", Map.of("workflow_type", key));
        }
        assertTrue(scrape.samples().stream().anyMatch(sample -> sample.name().equals("workflow_active")), scrape.text());
        scrape.assertCount(0, "flowmeter_workflows_unpaired_total", Map.of());
    }

    @Test
    void startingAndStoppingTheJobExecutorFlipsItsStatus() throws Exception {
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
        assertTrue(scrape.sum("flowmeter_instrumented_methods", Map.of("instrumentation", "camunda")) > 0, scrape.text());
        app.assertRecordedWithoutErrors(scrape);
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


    @Test
    void theScrapeIsLintClean() throws Exception {
        Promtool.assertLintClean(app.scrape());
    }
}
