package dev.flowmeter.engines.jobrunr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flowmeter.engines.jobrunr.fixture.JobRunrApp;
import dev.flowmeter.engines.jobrunr.fixture.Work;
import dev.flowmeter.testkit.FixtureRun;
import dev.flowmeter.testkit.Scrape;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * JobRunr with in-memory storage, in a JVM started with the agent: jobs held running show as
 * occupied workers, a fixed load with failures is counted as the fixture counted it, and pause,
 * resume and stop move workflow_engine_status. The tests run in order, as the server's life does.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class JobRunrInstrumentationTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    private static final String ENGINE = "BackgroundJobServer";
    private static final String STORAGE = "CountingStorageProvider";

    @RegisterExtension
    static final FixtureRun run = FixtureRun.fixture(JobRunrApp.class).readyAt("^holding ", TIMEOUT);

    @Test
    @Order(2)
    void theJobTypeIsJobRunrsSignatureOfTheJobMethod() throws Exception {
        runTheLoad();
        for (String method : List.of("hold", "invoice", "report")) {
            assertEquals(Work.class.getName() + "." + method + "(java.lang.String)", signature(method));
        }
    }

    @Test
    @Order(1)
    void workersRunningJobsNowAreInFlightAndTheServerIsRunning() throws Exception {
        Scrape scrape = run.app().scrape();
        assertEquals(JobRunrApp.HELD, scrape.sum("task_active", Map.of("task_type", signature("hold"))));
        assertEquals(JobRunrApp.HELD, scrape.sum("task_active", Map.of()));
        scrape.assertEngineStatus(ENGINE, "RUNNING");
    }

    @Test
    @Order(3)
    void executionsPerJobAndOutcomeEqualWhatTheJobsCounted() throws Exception {
        Map<String, Long> truth = runTheLoad();
        Scrape scrape = run.app().scrape();
        long failures = 0;
        for (String method : List.of("invoice", "report")) {
            // The job's own exception, though JobRunr's reflective call wraps it.
            failures += scrape.assertExecutions(truth, method, signature(method));
        }
        assertTrue(failures > 0, "the load must contain failures: " + truth);
        scrape.assertCount(JobRunrApp.HELD + JobRunrApp.LOAD, "task_execute_time_seconds_count", Map.of());
        scrape.assertCount(0, "task_active", Map.of());
    }

    @Test
    @Order(4)
    void statesSavedAfterRunsEqualWhatTheJobFilterSaw() throws Exception {
        Map<String, Long> truth = runTheLoad();
        Scrape scrape = run.app().scrape();
        long saved = 0;
        for (String method : List.of("hold", "invoice", "report")) {
            long count = truth.getOrDefault("saved " + method + " SUCCEEDED", 0L)
                    + truth.getOrDefault("saved " + method + " FAILED", 0L);
            scrape.assertCount(count, "task_update_time_seconds_count",
                    Map.of("task_type", signature(method), "status", "SUCCESS"));
            saved += count;
        }
        assertEquals(JobRunrApp.HELD + JobRunrApp.LOAD, saved, "one saved state per execution: " + truth);
        scrape.assertCount(saved, "task_update_time_seconds_count", Map.of());
    }

    @Test
    @Order(5)
    void enqueuesAreWorkflowStartsPerJob() throws Exception {
        Map<String, Long> truth = runTheLoad();
        Scrape scrape = run.app().scrape();
        for (String method : List.of("hold", "invoice", "report")) {
            scrape.assertCount(truth.get("enqueued " + method), "workflow_start_time_seconds_count",
                    Map.of("workflow_type", signature(method), "status", "SUCCESS"));
        }
        scrape.assertCount(JobRunrApp.HELD + JobRunrApp.LOAD, "workflow_start_time_seconds_count", Map.of());
    }

    @Test
    @Order(6)
    void pauseResumeAndStopMoveTheEngineStatus() throws Exception {
        runTheLoad();
        run.assertEngineStatusAfter("pause", "^pause done", TIMEOUT, ENGINE, "PAUSED");
        run.assertEngineStatusAfter("resume", "^resume done", TIMEOUT, ENGINE, "RUNNING");
        run.assertEngineStatusAfter("stop", "^stop done", TIMEOUT, ENGINE, "STOPPED");
    }

    @Test
    @Order(7)
    void pollsEqualTheStoragesCountedOnceThroughItsWrapperAndOverride() throws Exception {
        run.app().awaitStdout(Pattern.compile("^stop done"), TIMEOUT);
        long polls = run.app().truth().get("polls");
        Map<String, String> storage = Map.of("task_type", STORAGE);
        Scrape scrape = run.app().scrapeUntil(s -> s.sum("task_poll_total", storage) >= polls, Duration.ofSeconds(10));
        assertTrue(polls > 0);
        scrape.assertCount(polls, "task_poll_total", storage);
        scrape.assertCount(polls, "task_poll_time_seconds_count", Map.of("task_type", STORAGE, "status", "SUCCESS"));
        scrape.assertCount(polls, "task_poll_total", Map.of());
    }

    @Test
    @Order(8)
    void theAgentRecordedWithoutErrors() throws Exception {
        Scrape scrape = run.app().scrape();
        assertTrue(scrape.sum("flowmeter_instrumented_methods", Map.of("instrumentation", "jobrunr")) > 0, scrape.text());
        run.app().assertRecordedWithoutErrors(scrape);
    }

    /** Releases the held jobs and waits for the load, once; the fixture's counts after it. */
    private Map<String, Long> runTheLoad() throws Exception {
        if (run.app().stdout().stream().noneMatch(line -> line.equals("load done"))) {
            run.app().sendAndAwait("release", "^load done", TIMEOUT);
        }
        return run.app().truth();
    }

    /** The signature JobRunr gave the fixture's jobs of {@code method}. */
    private String signature(String method) {
        String prefix = "signature " + method + " ";
        return run.app().stdout().stream().filter(line -> line.startsWith(prefix)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + prefix + "line;\n" + run.app().describe()))
                .substring(prefix.length());
    }

    @Test
    void theScrapeIsLintClean() throws Exception {
        run.assertLintClean();
    }
}
