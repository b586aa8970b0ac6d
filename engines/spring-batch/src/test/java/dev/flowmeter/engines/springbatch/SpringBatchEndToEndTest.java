package dev.flowmeter.engines.springbatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flowmeter.engines.springbatch.fixtures.SpringBatchApp;
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
 * Real Spring Batch jobs with a JDBC job repository on H2 in memory, in a JVM with the agent (see
 * {@link SpringBatchApp}); every count on /metrics must equal what the fixture and the job
 * repository recorded.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SpringBatchEndToEndTest {

    private static final Duration LOAD_TIMEOUT = Duration.ofMinutes(5);
    private static final List<String> JOBS = List.of("importJob", "cleanupJob", "reindexJob");
    private static final List<String> STEPS = List.of("import", "publish", "cleanup", "reindex", "reindexWorker");

    private InstrumentedJvm app;
    private final Map<String, Long> truth = new HashMap<>();
    private Scrape scrape;

    @BeforeAll
    void runTheJobs() throws Exception {
        app = InstrumentedJvm.fixture("port=0", SpringBatchApp.class);
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
    void launchesPerJobEqualWhatTheFixtureLaunchedAndARefusedOneIsAFailure() {
        for (String job : JOBS) {
            assertTrue(truth("launch " + job + " ok") > 0, truth.toString());
            scrape.assertCount(truth("launch " + job + " ok"), "workflow_start_time_seconds_count",
                    Map.of("workflow_type", job, "status", "SUCCESS"));
        }
        long refused = truth("launch importJob refused JobInstanceAlreadyCompleteException");
        assertEquals(1, refused, truth.toString());
        scrape.assertCount(refused, "workflow_start_time_seconds_count", Map.of("workflow_type", "importJob", "status", "FAILURE"));
        scrape.assertCount(refused, "workflow_start_error_total",
                Map.of("workflow_type", "importJob", "exception", "JobInstanceAlreadyCompleteException"));
        scrape.assertCount(refused, "workflow_start_error_total", Map.of());
    }

    @Test
    void jobEndsByStatusEqualTheJobRepositorysRecords() {
        assertTrue(truth("job importJob FAILED") > 0 && truth("job cleanupJob STOPPED") > 0, truth.toString());
        for (String job : JOBS) {
            long failed = truth.getOrDefault("job " + job + " FAILED", 0L) + truth.getOrDefault("job " + job + " STOPPED", 0L)
                    + truth.getOrDefault("job " + job + " ABANDONED", 0L) + truth.getOrDefault("job " + job + " UNKNOWN", 0L);
            assertEquals(truth("launch " + job + " ok"), truth("job " + job + " COMPLETED") + failed, truth.toString());
            scrape.assertCount(truth("job " + job + " COMPLETED"), "workflow_duration_seconds_count",
                    Map.of("workflow_type", job, "status", "SUCCESS"));
            scrape.assertCount(failed, "workflow_duration_seconds_count", Map.of("workflow_type", job, "status", "FAILURE"));
            scrape.assertCount(0, "workflow_active", Map.of("workflow_type", job));
        }
        scrape.assertCount(0, "flowmeter_workflows_unpaired_total", Map.of());
    }

    @Test
    void stepExecutionsByStepAndOutcomeEqualTheJobRepositorysRecords() {
        assertTrue(truth("step publish FAILURE") > 0 && truth("step cleanup FAILURE") > 0, truth.toString());
        // Each partition's worker ran on the manager's thread, and counts as its own step execution.
        assertEquals((long) 3 * truth("step reindex SUCCESS"), truth("step reindexWorker SUCCESS"), truth.toString());
        for (String step : STEPS) {
            for (String status : List.of("SUCCESS", "FAILURE")) {
                scrape.assertCount(truth.getOrDefault("step " + step + " " + status, 0L), "task_execute_time_seconds_count",
                        Map.of("task_type", step, "status", status));
            }
            scrape.assertCount(0, "task_active", Map.of("task_type", step));
        }
        scrape.assertCount(truth("step publish FAILURE"), "task_execute_error_total",
                Map.of("task_type", "publish", "exception", "UnsupportedOperationException"));
        // A step told to stop is interrupted in its chunk loop, which Spring Batch's RepeatTemplate
        // throws wrapped in a RepeatException (AbstractStep unwraps it, around the measured work).
        assertEquals(truth("job cleanupJob STOPPED"), truth("step cleanup FAILURE"), truth.toString());
        scrape.assertCount(truth("step cleanup FAILURE"), "task_execute_error_total",
                Map.of("task_type", "cleanup", "exception", "RepeatException"));
        scrape.assertCount(truth("step publish FAILURE") + truth("step cleanup FAILURE"), "task_execute_error_total", Map.of());
    }

    @Test
    void skippedItemsEqualWhatTheStepsRecorded() {
        for (String kind : List.of("read", "process", "write")) {
            scrape.assertCount(truth("skip import " + kind), "batch_item_skip_total", Map.of("step", "import", "kind", kind));
        }
        assertTrue(truth("skip import read") > 0 && truth("skip import process") > 0, truth.toString());
        scrape.assertCount(truth("skip import read") + truth("skip import process"), "batch_item_skip_total", Map.of());
    }

    @Test
    void theAgentRecordedWithoutErrors() {
        assertTrue(scrape.sum("flowmeter_instrumented_methods", Map.of("instrumentation", "spring-batch")) > 0, scrape.text());
        app.assertRecordedWithoutErrors(scrape);
    }

    @Test
    void theScrapeIsLintClean() throws Exception {
        Promtool.assertLintClean(app.scrape());
    }

    private long truth(String key) {
        Long value = truth.get(key);
        if (value == null) {
            throw new AssertionError("the fixture printed no truth '" + key + "': " + truth);
        }
        return value;
    }
}
