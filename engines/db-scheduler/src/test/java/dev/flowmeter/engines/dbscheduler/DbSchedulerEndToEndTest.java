package dev.flowmeter.engines.dbscheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flowmeter.engines.dbscheduler.fixtures.DbSchedulerApp;
import dev.flowmeter.testkit.FixtureRun;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A real db-scheduler on H2 in memory, in a JVM with the agent, runs a fixed load with failures and a
 * dead execution (see {@link DbSchedulerApp}); every count on /metrics must equal what the tasks and
 * the scheduler's own listener counted, and pausing, resuming and stopping the scheduler must show in
 * its status.
 */
class DbSchedulerEndToEndTest {

    private static final Duration LOAD_TIMEOUT = Duration.ofMinutes(5);
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final String ENGINE = "Scheduler";
    private static final List<String> TASKS = List.of("send-invoice", "generate-report", "refresh-cache");

    @RegisterExtension
    static final FixtureRun run = FixtureRun.fixture(DbSchedulerApp.class).readyAt("^done$", LOAD_TIMEOUT);

    @Test
    void executionsPerTaskAndOutcomeEqualWhatTheTasksCounted() {
        long all = 0;
        for (String task : TASKS) {
            for (String status : List.of("SUCCESS", "FAILURE")) {
                long counted = run.truth().getOrDefault("execute " + task + " " + status, 0L);
                all += counted;
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
        assertEquals(all, run.truth("intercepted"), run.truth().toString());
        assertEquals(0, run.truth("executions left"), run.truth().toString());
    }

    @Test
    void deadExecutionsEqualWhatTheSchedulerReported() {
        assertEquals(1, run.truth("dead send-invoice"), run.truth().toString());
        run.scrape().assertCount(1, "task_dead_execution_total", Map.of("task_type", "send-invoice"));
        run.scrape().assertCount(1, "task_dead_execution_total", Map.of());
    }

    @Test
    void pollsForDueExecutionsEqualTheSchedulersOwnCount() {
        assertTrue(run.truth("polls") > 0, run.truth().toString());
        assertEquals(0, run.truth().getOrDefault("unexpected errors", 0L), run.truth().toString());
        run.scrape().assertCount(run.truth("polls"), "task_poll_total", Map.of("task_type", "FetchCandidates"));
        run.scrape().assertCount(run.truth("polls"), "task_poll_time_seconds_count", Map.of("task_type", "FetchCandidates", "status", "SUCCESS"));
        run.scrape().assertCount(0, "task_poll_error_total", Map.of());
    }

    @Test
    void pausingResumingAndStoppingTheSchedulerShowInItsStatus() throws Exception {
        run.scrape().assertEngineStatus(ENGINE, "PAUSED");
        run.app().sendAndAwait("resume", "^resumed$", TIMEOUT);
        run.app().scrape().assertEngineStatus(ENGINE, "RUNNING");
        run.app().sendAndAwait("stop", "^stopped$", TIMEOUT);
        run.app().scrape().assertEngineStatus(ENGINE, "STOPPED");
    }

    @Test
    void theAgentRecordedWithoutErrors() {
        run.assertInstrumentedWithoutErrors("db-scheduler");
    }

    @Test
    void theScrapeIsLintClean() throws Exception {
        run.assertLintClean();
    }
}
