package dev.flowmeter.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The end-to-end checks of a db-scheduler fixture, shared by the modules that run one (plain and
 * made by the Spring Boot starter): the fixture runs tasks {@code send-invoice} (some throw
 * IllegalStateException, one execution dies), {@code generate-report} (some throw
 * UnsupportedOperationException) and {@code refresh-cache} through an interceptor, prints what its
 * tasks and the scheduler's listener counted as truth, and waits with the scheduler paused for
 * {@code resume} and {@code stop}. A subclass registers its {@link FixtureRun}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
public abstract class DbSchedulerChecks {

    protected static final List<String> TASKS = List.of("send-invoice", "generate-report", "refresh-cache");
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final String ENGINE = "Scheduler";

    /** The subclass's registered run. */
    protected abstract FixtureRun run();

    /** The executions of every task, whatever their outcome, that the tasks counted. */
    protected long executions() {
        long all = 0;
        for (String task : TASKS) {
            for (String status : List.of("SUCCESS", "FAILURE")) {
                all += run().truth().getOrDefault("execute " + task + " " + status, 0L);
            }
        }
        return all;
    }

    @Test
    void executionsPerTaskAndOutcomeEqualWhatTheTasksCounted() {
        FixtureRun run = run();
        for (String task : TASKS) {
            for (String status : List.of("SUCCESS", "FAILURE")) {
                long counted = run.truth().getOrDefault("execute " + task + " " + status, 0L);
                run.scrape().assertCount(counted, "task_execute_time_seconds_count", Map.of("task_type", task, "status", status));
            }
            assertTrue(run.truth("execute " + task + " SUCCESS") > 0, run.truth().toString());
            run.scrape().assertCount(0, "task_active", Map.of("task_type", task));
        }
        assertTrue(run.truth("execute send-invoice FAILURE") > 0 && run.truth("execute generate-report FAILURE") > 0, run.truth().toString());
        run.scrape().assertCount(run.truth("execute send-invoice FAILURE"), "task_execute_error_total",
                Map.of("task_type", "send-invoice", "exception", "IllegalStateException"));
        run.scrape().assertCount(run.truth("execute generate-report FAILURE"), "task_execute_error_total",
                Map.of("task_type", "generate-report", "exception", "UnsupportedOperationException"));
        run.scrape().assertCount(0, "task_execute_error_total", Map.of("task_type", "refresh-cache"));
        // Every execution went through the interceptor's nested chain, and counted once.
        assertEquals(executions(), run.truth("intercepted"), run.truth().toString());
        assertEquals(0, run.truth("executions left"), run.truth().toString());
    }

    @Test
    void deadExecutionsEqualWhatTheSchedulerReported() {
        FixtureRun run = run();
        assertEquals(1, run.truth("dead send-invoice"), run.truth().toString());
        run.scrape().assertCount(1, "task_dead_execution_total", Map.of("task_type", "send-invoice"));
        run.scrape().assertCount(1, "task_dead_execution_total", Map.of());
    }

    @Test
    void pollsForDueExecutionsEqualTheSchedulersOwnCount() {
        FixtureRun run = run();
        assertTrue(run.truth("polls") > 0, run.truth().toString());
        assertEquals(0, run.truth().getOrDefault("unexpected errors", 0L), run.truth().toString());
        run.scrape().assertCount(run.truth("polls"), "task_poll_total", Map.of("task_type", "FetchCandidates"));
        run.scrape().assertCount(run.truth("polls"), "task_poll_time_seconds_count", Map.of("task_type", "FetchCandidates", "status", "SUCCESS"));
        run.scrape().assertCount(0, "task_poll_error_total", Map.of());
    }

    @Test
    void theAgentRecordedWithoutErrors() {
        run().assertInstrumentedWithoutErrors("db-scheduler");
    }

    @Test
    void theScrapeIsLintClean() throws Exception {
        run().assertLintClean();
    }

    /** Last: it resumes and stops the scheduler the other tests saw paused. */
    @Test
    @Order(Integer.MAX_VALUE)
    void pausingResumingAndStoppingTheSchedulerShowInItsStatus() throws Exception {
        FixtureRun run = run();
        run.scrape().assertEngineStatus(ENGINE, "PAUSED");
        run.assertEngineStatusAfter("resume", "^resumed$", TIMEOUT, ENGINE, "RUNNING");
        run.assertEngineStatusAfter("stop", "^stopped$", TIMEOUT, ENGINE, "STOPPED");
    }
}
