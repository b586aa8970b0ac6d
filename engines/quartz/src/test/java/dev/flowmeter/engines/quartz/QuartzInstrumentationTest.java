package dev.flowmeter.engines.quartz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flowmeter.engines.quartz.fixture.CountingJobStore;
import dev.flowmeter.engines.quartz.fixture.HoldJob;
import dev.flowmeter.engines.quartz.fixture.InvoiceJob;
import dev.flowmeter.engines.quartz.fixture.QuartzApp;
import dev.flowmeter.engines.quartz.fixture.ReportJob;
import dev.flowmeter.testkit.InstrumentedJvm;
import dev.flowmeter.testkit.Promtool;
import dev.flowmeter.testkit.Scrape;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Quartz with its in-memory store, in a JVM started with the agent: jobs held running show as in
 * flight, a fixed load with failures is counted as the fixture counted it, and standby, start and
 * shutdown move workflow_engine_status. The tests run in order, as the scheduler's life does.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class QuartzInstrumentationTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    private static final List<String> JOBS = List.of(InvoiceJob.class.getName(), ReportJob.class.getName());

    private InstrumentedJvm app;

    @BeforeAll
    void start() throws Exception {
        app = InstrumentedJvm.fixture("port=0", QuartzApp.class);
        app.awaitStdout(Pattern.compile("^holding "), TIMEOUT);
    }

    @AfterAll
    void stop() throws InterruptedException {
        if (app != null) {
            app.close();
        }
    }

    @Test
    @Order(1)
    void jobsRunningNowAreInFlightAndTheSchedulerIsRunning() throws Exception {
        Scrape scrape = app.scrape();
        assertEquals(QuartzApp.HELD, scrape.sum("task_active", Map.of("task_type", HoldJob.class.getName())));
        assertEquals(QuartzApp.HELD, scrape.sum("task_active", Map.of()));
        assertState(scrape, "RUNNING");
    }

    @Test
    @Order(2)
    void executionsPerJobClassAndOutcomeEqualWhatTheJobsCounted() throws Exception {
        Map<String, Long> truth = runTheLoad();
        Scrape scrape = app.scrape();
        long failures = 0;
        for (String job : JOBS) {
            long ok = truth.getOrDefault("ok " + job, 0L);
            long failed = 0;
            for (Map.Entry<String, Long> entry : truth.entrySet()) {
                if (entry.getKey().startsWith("failed " + job + " ")) {
                    String exception = entry.getKey().substring(entry.getKey().lastIndexOf(' ') + 1);
                    scrape.assertCount(entry.getValue(), "task_execute_error_total",
                            Map.of("task_type", job, "exception", exception));
                    failed += entry.getValue();
                }
            }
            assertTrue(ok > 0, job + " must succeed sometimes: " + truth);
            scrape.assertCount(ok, "task_execute_time_seconds_count", Map.of("task_type", job, "status", "SUCCESS"));
            scrape.assertCount(failed, "task_execute_time_seconds_count", Map.of("task_type", job, "status", "FAILURE"));
            scrape.assertCount(failed, "task_execute_error_total", Map.of("task_type", job));
            failures += failed;
        }
        assertTrue(failures > 0, "the load must contain failures: " + truth);
        scrape.assertCount(QuartzApp.HELD + QuartzApp.LOAD, "task_execute_time_seconds_count", Map.of());
        scrape.assertCount(0, "task_active", Map.of());
    }

    @Test
    @Order(3)
    void completionsPerJobClassEqualWhatTheStoreCounted() throws Exception {
        Map<String, Long> truth = runTheLoad();
        Scrape scrape = app.scrape();
        long completed = 0;
        for (String job : List.of(InvoiceJob.class.getName(), ReportJob.class.getName(), HoldJob.class.getName())) {
            long count = truth.get("completed " + job);
            scrape.assertCount(count, "task_update_time_seconds_count", Map.of("task_type", job, "status", "SUCCESS"));
            completed += count;
        }
        assertEquals(QuartzApp.HELD + QuartzApp.LOAD, completed, "one completion per execution");
        scrape.assertCount(completed, "task_update_time_seconds_count", Map.of());
    }

    @Test
    @Order(4)
    void standbyStartAndShutdownMoveTheEngineStatus() throws Exception {
        runTheLoad();
        app.send("standby");
        app.awaitStdout(Pattern.compile("^standby done"), TIMEOUT);
        assertState(app.scrape(), "PAUSED");
        app.send("start");
        app.awaitStdout(Pattern.compile("^start done"), TIMEOUT);
        assertState(app.scrape(), "RUNNING");
        app.send("shutdown");
        app.awaitStdout(Pattern.compile("^shutdown done"), TIMEOUT);
        assertState(app.scrape(), "STOPPED");
    }

    @Test
    @Order(5)
    void pollsEqualTheStoresAcquisitionsCountedOnceThroughItsOverride() throws Exception {
        app.awaitStdout(Pattern.compile("^shutdown done"), TIMEOUT);
        long polls = app.truth().get("polls");
        Map<String, String> store = Map.of("task_type", CountingJobStore.class.getName());
        Scrape scrape = app.scrapeUntil(s -> s.sum("task_poll_total", store) >= polls, Duration.ofSeconds(10));
        assertTrue(polls > 0);
        scrape.assertCount(polls, "task_poll_total", store);
        scrape.assertCount(polls, "task_poll_time_seconds_count", Map.of("task_type", CountingJobStore.class.getName(),
                "status", "SUCCESS"));
        scrape.assertCount(polls, "task_poll_total", Map.of());
    }

    @Test
    @Order(6)
    void theAgentRecordedWithoutErrors() throws Exception {
        Scrape scrape = app.scrape();
        assertTrue(scrape.sum("flowmeter_instrumented_methods", Map.of("instrumentation", "quartz")) > 0, scrape.text());
        app.assertRecordedWithoutErrors(scrape);
    }

    /** Releases the held jobs and waits for the load, once; the fixture's counts after it. */
    private Map<String, Long> runTheLoad() throws Exception {
        if (app.stdout().stream().noneMatch(line -> line.equals("load done"))) {
            app.send("release");
            app.awaitStdout(Pattern.compile("^load done"), TIMEOUT);
        }
        return app.truth();
    }

    private void assertState(Scrape scrape, String state) {
        for (String each : List.of("RUNNING", "PAUSED", "STOPPED")) {
            assertEquals(each.equals(state) ? 1 : 0, scrape.sum("workflow_engine_status",
                    Map.of("engine", QuartzApp.SCHEDULER, "workflow_engine_status", each)), each + "\n" + scrape.text());
        }
    }


    @Test
    void theScrapeIsLintClean() throws Exception {
        Promtool.assertLintClean(app.scrape());
    }
}
