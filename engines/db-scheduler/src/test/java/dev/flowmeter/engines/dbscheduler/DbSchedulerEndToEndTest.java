package dev.flowmeter.engines.dbscheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flowmeter.engines.dbscheduler.fixtures.DbSchedulerApp;
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
 * A real db-scheduler on H2 in memory, in a JVM with the agent, runs a fixed load with failures and a
 * dead execution (see {@link DbSchedulerApp}); every count on /metrics must equal what the tasks and
 * the scheduler's own listener counted, and pausing, resuming and stopping the scheduler must show in
 * its status.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DbSchedulerEndToEndTest {

    private static final Duration LOAD_TIMEOUT = Duration.ofMinutes(5);
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final String ENGINE = "Scheduler";
    private static final List<String> TASKS = List.of("send-invoice", "generate-report", "refresh-cache");

    private InstrumentedJvm app;
    private final Map<String, Long> truth = new HashMap<>();
    private Scrape scrape;

    @BeforeAll
    void runTheLoad() throws Exception {
        app = InstrumentedJvm.fixture("port=0", DbSchedulerApp.class);
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
    void executionsPerTaskAndOutcomeEqualWhatTheTasksCounted() {
        long all = 0;
        for (String task : TASKS) {
            for (String status : List.of("SUCCESS", "FAILURE")) {
                long counted = truth.getOrDefault("execute " + task + " " + status, 0L);
                all += counted;
                scrape.assertCount(counted, "task_execute_time_seconds_count", Map.of("task_type", task, "status", status));
            }
            assertTrue(truth("execute " + task + " SUCCESS") > 0, truth.toString());
            scrape.assertCount(0, "task_active", Map.of("task_type", task));
        }
        assertTrue(truth("execute send-invoice FAILURE") > 0 && truth("execute generate-report FAILURE") > 0, truth.toString());
        scrape.assertCount(truth("execute send-invoice FAILURE"), "task_execute_error_total",
                Map.of("task_type", "send-invoice", "exception", "IllegalStateException"));
        scrape.assertCount(truth("execute generate-report FAILURE"), "task_execute_error_total",
                Map.of("task_type", "generate-report", "exception", "UnsupportedOperationException"));
        scrape.assertCount(0, "task_execute_error_total", Map.of("task_type", "refresh-cache"));
        // Every execution went through the interceptor's nested chain, and counted once.
        assertEquals(all, truth("intercepted"), truth.toString());
        assertEquals(0, truth("executions left"), truth.toString());
    }

    @Test
    void deadExecutionsEqualWhatTheSchedulerReported() {
        assertEquals(1, truth("dead send-invoice"), truth.toString());
        scrape.assertCount(1, "task_dead_execution_total", Map.of("task_type", "send-invoice"));
        scrape.assertCount(1, "task_dead_execution_total", Map.of());
    }

    @Test
    void pollsForDueExecutionsEqualTheSchedulersOwnCount() {
        assertTrue(truth("polls") > 0, truth.toString());
        assertEquals(0, truth.getOrDefault("unexpected errors", 0L), truth.toString());
        scrape.assertCount(truth("polls"), "task_poll_total", Map.of("task_type", "FetchCandidates"));
        scrape.assertCount(truth("polls"), "task_poll_time_seconds_count", Map.of("task_type", "FetchCandidates", "status", "SUCCESS"));
        scrape.assertCount(0, "task_poll_error_total", Map.of());
    }

    @Test
    void pausingResumingAndStoppingTheSchedulerShowInItsStatus() throws Exception {
        assertState(scrape, "PAUSED");
        app.send("resume");
        app.awaitStdout(Pattern.compile("^resumed$"), TIMEOUT);
        assertState(app.scrape(), "RUNNING");
        app.send("stop");
        app.awaitStdout(Pattern.compile("^stopped$"), TIMEOUT);
        assertState(app.scrape(), "STOPPED");
    }

    @Test
    void theAgentRecordedWithoutErrors() {
        assertTrue(scrape.sum("flowmeter_instrumented_methods", Map.of("instrumentation", "db-scheduler")) > 0, scrape.text());
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
