package dev.flowmeter.engines.quartz;

import dev.flowmeter.engines.quartz.fixture.CountingJobStore;
import dev.flowmeter.engines.quartz.fixture.HoldJob;
import dev.flowmeter.engines.quartz.fixture.InvoiceJob;
import dev.flowmeter.engines.quartz.fixture.QuartzApp;
import dev.flowmeter.engines.quartz.fixture.ReportJob;
import dev.flowmeter.testkit.FixtureRun;
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
 * Quartz with its in-memory store, in a JVM started with the agent: jobs held running show as in
 * flight, a fixed load with failures is counted as the fixture counted it, and standby, start and
 * shutdown move workflow_engine_status. The tests run in order, as the scheduler's life does.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class QuartzInstrumentationTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    private static final String ENGINE = QuartzApp.SCHEDULER;
    private static final List<String> JOBS = List.of(InvoiceJob.class.getName(), ReportJob.class.getName());

    @RegisterExtension
    static final FixtureRun run = FixtureRun.fixture(QuartzApp.class).readyAt("^holding ", TIMEOUT);

    @Test
    @Order(1)
    void jobsRunningNowAreInFlightAndTheSchedulerIsRunning() throws Exception {
        run.assertHeldInFlightAndRunning(QuartzApp.HELD, HoldJob.class.getName(), ENGINE);
    }

    @Test
    @Order(2)
    void executionsPerJobClassAndOutcomeEqualWhatTheJobsCounted() throws Exception {
        Map<String, Long> truth = runTheLoad();
        run.app().scrape().assertAllExecutions(truth, JOBS, job -> job, QuartzApp.HELD + QuartzApp.LOAD);
    }

    @Test
    @Order(3)
    void completionsPerJobClassEqualWhatTheStoreCounted() throws Exception {
        Map<String, Long> truth = runTheLoad();
        Map<String, Long> completed = new LinkedHashMap<>();
        for (String job : List.of(InvoiceJob.class.getName(), ReportJob.class.getName(), HoldJob.class.getName())) {
            completed.put(job, truth.get("completed " + job));
        }
        run.app().scrape().assertSuccessfulUpdates(completed, QuartzApp.HELD + QuartzApp.LOAD);
    }

    // Alike in shape to JobRunrInstrumentationTest's pause, resume and stop on purpose: the check is FixtureRun's,
    // the commands are each library's own (Quartz's scheduler has standby, start and shutdown).
    @Test
    @Order(4)
    void standbyStartAndShutdownMoveTheEngineStatus() throws Exception {
        runTheLoad();
        run.assertEngineStatusAfter("standby", "^standby done", TIMEOUT, ENGINE, "PAUSED");
        run.assertEngineStatusAfter("start", "^start done", TIMEOUT, ENGINE, "RUNNING");
        run.assertEngineStatusAfter("shutdown", "^shutdown done", TIMEOUT, ENGINE, "STOPPED");
    }

    @Test
    @Order(5)
    void pollsEqualTheStoresAcquisitionsCountedOnceThroughItsOverride() throws Exception {
        run.assertPollsOnceAfter("shutdown done", TIMEOUT, CountingJobStore.class.getName());
    }

    @Test
    @Order(6)
    void theAgentRecordedWithoutErrors() throws Exception {
        run.assertInstrumentedWithoutErrors("quartz", run.app().scrape());
    }

    /** Releases the held jobs and waits for the load, once; the fixture's counts after it. */
    private Map<String, Long> runTheLoad() throws Exception {
        return run.sendOnce("release", "load done", TIMEOUT);
    }

    @Test
    void theScrapeIsLintClean() throws Exception {
        run.assertLintClean();
    }
}
