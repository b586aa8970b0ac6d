package dev.flowmeter.engines.jobrunr;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.flowmeter.engines.jobrunr.fixture.JobRunrApp;
import dev.flowmeter.engines.jobrunr.fixture.Work;
import dev.flowmeter.testkit.FixtureRun;
import dev.flowmeter.testkit.Scrape;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
        run.assertHeldInFlightAndRunning(JobRunrApp.HELD, signature("hold"), ENGINE);
    }

    @Test
    @Order(3)
    void executionsPerJobAndOutcomeEqualWhatTheJobsCounted() throws Exception {
        Map<String, Long> truth = runTheLoad();
        // The job's own exception, though JobRunr's reflective call wraps it.
        run.app().scrape().assertAllExecutions(truth, List.of("invoice", "report"), this::signature,
                JobRunrApp.HELD + JobRunrApp.LOAD);
    }

    @Test
    @Order(4)
    void statesSavedAfterRunsEqualWhatTheJobFilterSaw() throws Exception {
        Map<String, Long> truth = runTheLoad();
        Map<String, Long> saved = new LinkedHashMap<>();
        for (String method : List.of("hold", "invoice", "report")) {
            saved.put(signature(method), truth.getOrDefault("saved " + method + " SUCCEEDED", 0L)
                    + truth.getOrDefault("saved " + method + " FAILED", 0L));
        }
        run.app().scrape().assertSuccessfulUpdates(saved, JobRunrApp.HELD + JobRunrApp.LOAD);
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
        run.assertPollsOnceAfter("stop done", TIMEOUT, STORAGE);
    }

    @Test
    @Order(8)
    void theAgentRecordedWithoutErrors() throws Exception {
        run.assertInstrumentedWithoutErrors("jobrunr", run.app().scrape());
    }

    /** Releases the held jobs and waits for the load, once; the fixture's counts after it. */
    private Map<String, Long> runTheLoad() throws Exception {
        return run.sendOnce("release", "load done", TIMEOUT);
    }

    /** The signature JobRunr gave the fixture's jobs of {@code method}. */
    private String signature(String method) {
        return run.app().stdoutAfter("signature " + method + " ");
    }

    @Test
    void theScrapeIsLintClean() throws Exception {
        run.assertLintClean();
    }
}
