package dev.flowmeter.engines.springbatch6;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flowmeter.engines.springbatch6.fixtures.SpringBatch6App;
import dev.flowmeter.testkit.FixtureRun;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Real Spring Batch 6 jobs with a JDBC job repository on H2 in memory, in a JVM with the agent (see
 * {@link SpringBatch6App}); every count on /metrics must equal what the fixture and the job
 * repository recorded.
 */
class SpringBatch6EndToEndTest {

    private static final Duration LOAD_TIMEOUT = Duration.ofMinutes(5);
    private static final List<String> JOBS = List.of("importJob", "cleanupJob", "reindexJob");
    private static final List<String> STEPS = List.of("import", "legacyImport", "publish", "cleanup", "reindex", "reindexWorker");

    @RegisterExtension
    static final FixtureRun run = FixtureRun.fixture(SpringBatch6App.class).readyAt("^done$", LOAD_TIMEOUT);

    @Test
    void launchesPerJobEqualWhatTheFixtureLaunchedAndARefusedOneIsAFailure() {
        for (String job : JOBS) {
            assertTrue(run.truth("launch " + job + " ok") > 0, run.truth().toString());
            run.scrape().assertCount(run.truth("launch " + job + " ok"), "workflow_start_time_seconds_count",
                    Map.of("workflow_type", job, "status", "SUCCESS"));
        }
        long refused = run.truth("launch importJob refused JobInstanceAlreadyCompleteException");
        assertEquals(1, refused, run.truth().toString());
        run.scrape().assertCount(refused, "workflow_start_time_seconds_count", Map.of("workflow_type", "importJob", "status", "FAILURE"));
        run.scrape().assertCount(refused, "workflow_start_error_total",
                Map.of("workflow_type", "importJob", "exception", "JobInstanceAlreadyCompleteException"));
        run.scrape().assertCount(refused, "workflow_start_error_total", Map.of());
    }

    @Test
    void jobEndsByStatusEqualTheJobRepositorysRecords() {
        assertTrue(run.truth("job importJob FAILED") > 0 && run.truth("job cleanupJob STOPPED") > 0, run.truth().toString());
        for (String job : JOBS) {
            long failed = run.truth().getOrDefault("job " + job + " FAILED", 0L) + run.truth().getOrDefault("job " + job + " STOPPED", 0L)
                    + run.truth().getOrDefault("job " + job + " ABANDONED", 0L) + run.truth().getOrDefault("job " + job + " UNKNOWN", 0L);
            assertEquals(run.truth("launch " + job + " ok"), run.truth("job " + job + " COMPLETED") + failed, run.truth().toString());
            run.scrape().assertCount(run.truth("job " + job + " COMPLETED"), "workflow_duration_seconds_count",
                    Map.of("workflow_type", job, "status", "SUCCESS"));
            run.scrape().assertCount(failed, "workflow_duration_seconds_count", Map.of("workflow_type", job, "status", "FAILURE"));
            run.scrape().assertCount(0, "workflow_active", Map.of("workflow_type", job));
        }
        run.scrape().assertCount(0, "flowmeter_workflows_unpaired_total", Map.of());
    }

    @Test
    void stepExecutionsByStepAndOutcomeEqualTheJobRepositorysRecords() {
        assertTrue(run.truth("step publish FAILURE") > 0 && run.truth("step cleanup FAILURE") > 0, run.truth().toString());
        // Each partition's worker ran on the manager's thread, and counts as its own step execution.
        assertEquals((long) 3 * run.truth("step reindex SUCCESS"), run.truth("step reindexWorker SUCCESS"), run.truth().toString());
        for (String step : STEPS) {
            for (String status : List.of("SUCCESS", "FAILURE")) {
                run.scrape().assertCount(run.truth().getOrDefault("step " + step + " " + status, 0L), "task_execute_time_seconds_count",
                        Map.of("task_type", step, "status", status));
            }
            run.scrape().assertCount(0, "task_active", Map.of("task_type", step));
        }
        run.scrape().assertCount(run.truth("step publish FAILURE"), "task_execute_error_total",
                Map.of("task_type", "publish", "exception", "UnsupportedOperationException"));
        // A step told to stop is interrupted in its chunk loop, which Spring Batch's RepeatTemplate
        // throws wrapped in a RepeatException (AbstractStep unwraps it, around the measured work).
        assertEquals(run.truth("job cleanupJob STOPPED"), run.truth("step cleanup FAILURE"), run.truth().toString());
        run.scrape().assertCount(run.truth("step cleanup FAILURE"), "task_execute_error_total",
                Map.of("task_type", "cleanup", "exception", "RepeatException"));
        run.scrape().assertCount(run.truth("step publish FAILURE") + run.truth("step cleanup FAILURE"), "task_execute_error_total", Map.of());
    }

    @Test
    void skippedItemsEqualWhatTheStepsRecorded() {
        long all = 0;
        for (String step : List.of("import", "legacyImport")) {
            for (String kind : List.of("read", "process", "write")) {
                all += run.truth("skip " + step + " " + kind);
                run.scrape().assertCount(run.truth("skip " + step + " " + kind), "batch_item_skip_total", Map.of("step", step, "kind", kind));
            }
            assertTrue(run.truth("skip " + step + " read") > 0 && run.truth("skip " + step + " process") > 0, run.truth().toString());
        }
        run.scrape().assertCount(all, "batch_item_skip_total", Map.of());
    }

    @Test
    void theAgentRecordedWithoutErrors() {
        run.assertInstrumentedWithoutErrors("spring-batch-6");
    }

    @Test
    void theScrapeIsLintClean() throws Exception {
        run.assertLintClean();
    }
}
