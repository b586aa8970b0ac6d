package dev.flowmeter.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The end-to-end checks of a Spring Batch fixture, shared by the modules that run one (Spring Batch
 * 5's, 6's, 6's under Spring Boot), as OpenTelemetry's agent shares a library's tests through an
 * abstract base: the fixture runs jobs {@code importJob} (skipping bad items, then a step that
 * fails), {@code cleanupJob} (stopped) and {@code reindexJob} (partitioned), relaunches a completed
 * {@code importJob}, and prints what it launched and what the job repository recorded as truth.
 * A subclass registers its {@link FixtureRun} and says which Spring Batch its fixture runs.
 */
public abstract class SpringBatchChecks {

    protected static final List<String> JOBS = List.of("importJob", "cleanupJob", "reindexJob");

    /** A Spring Batch major version: its fixture's steps, and the instrumentation that must weave it. */
    public enum Version {
        SPRING_BATCH_5("spring-batch", List.of("import")),
        /** Its fixtures run an import step of 6's chunk model and one of 5's. */
        SPRING_BATCH_6("spring-batch-6", List.of("import", "legacyImport"));

        final String instrumentation;
        /** The steps that skip items that fail to read, process or write. */
        final List<String> skippingSteps;
        /** Every step of the fixture's jobs, partitions' workers among them. */
        final List<String> steps;

        Version(String instrumentation, List<String> skippingSteps) {
            this.instrumentation = instrumentation;
            this.skippingSteps = skippingSteps;
            List<String> steps = new ArrayList<>(skippingSteps);
            steps.addAll(List.of("publish", "cleanup", "reindex", "reindexWorker"));
            this.steps = List.copyOf(steps);
        }
    }

    /** The subclass's registered run. */
    protected abstract FixtureRun run();

    /** The Spring Batch the fixture runs. */
    protected abstract Version version();

    /** The job executions of {@code job} in the job repository: by default the launches the fixture made. */
    protected long executions(String job) {
        return run().truth("launch " + job + " ok");
    }

    /** The workers of the {@code reindex} step's partitions. */
    protected long partitions() {
        return 3;
    }

    @Test
    void launchesPerJobEqualWhatTheFixtureLaunchedAndARefusedOneIsAFailure() {
        FixtureRun run = run();
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
        FixtureRun run = run();
        assertTrue(run.truth("job importJob FAILED") > 0 && run.truth("job cleanupJob STOPPED") > 0, run.truth().toString());
        for (String job : JOBS) {
            long failed = run.truth().getOrDefault("job " + job + " FAILED", 0L) + run.truth().getOrDefault("job " + job + " STOPPED", 0L)
                    + run.truth().getOrDefault("job " + job + " ABANDONED", 0L) + run.truth().getOrDefault("job " + job + " UNKNOWN", 0L);
            assertEquals(executions(job), run.truth("job " + job + " COMPLETED") + failed, run.truth().toString());
            run.scrape().assertCount(run.truth("job " + job + " COMPLETED"), "workflow_duration_seconds_count",
                    Map.of("workflow_type", job, "status", "SUCCESS"));
            run.scrape().assertCount(failed, "workflow_duration_seconds_count", Map.of("workflow_type", job, "status", "FAILURE"));
            run.scrape().assertCount(0, "workflow_active", Map.of("workflow_type", job));
        }
        run.scrape().assertCount(0, "flowmeter_workflows_unpaired_total", Map.of());
    }

    @Test
    void stepExecutionsByStepAndOutcomeEqualTheJobRepositorysRecords() {
        FixtureRun run = run();
        assertTrue(run.truth("step publish FAILURE") > 0 && run.truth("step cleanup FAILURE") > 0, run.truth().toString());
        // Each partition's worker ran on the manager's thread, and counts as its own step execution.
        assertEquals(partitions() * run.truth("step reindex SUCCESS"), run.truth("step reindexWorker SUCCESS"), run.truth().toString());
        for (String step : version().steps) {
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
        FixtureRun run = run();
        long all = 0;
        for (String step : version().skippingSteps) {
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
        run().assertInstrumentedWithoutErrors(version().instrumentation);
    }

    @Test
    void theScrapeIsLintClean() throws Exception {
        run().assertLintClean();
    }
}
