package dev.flowmeter.engines.vthreads;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flowmeter.engines.vthreads.jobrunr.VirtualJobRunrApp;
import dev.flowmeter.engines.vthreads.jobrunr.Work;
import dev.flowmeter.testkit.InstrumentedJvm;
import dev.flowmeter.testkit.Promtool;
import dev.flowmeter.testkit.Scrape;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * JobRunr 8.7.0 whose background job server runs its jobs on virtual threads, with the bundled
 * jobrunr instrumentation: 1,000 jobs of two kinds, some failing, run by 64 virtual-thread workers;
 * executions, errors, saved states, starts and polls equal what the jobs, a job filter and the
 * storage counted; no pinned park with the agent's frames.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class VirtualThreadsJobRunrTest {

    private static final String STORAGE = "CountingStorageProvider";

    private InstrumentedJvm app;
    private Map<String, Long> truth;
    private Scrape scrape;
    private List<Fixtures.Pinned> pinned;

    @BeforeAll
    void runTheLoad() throws Exception {
        Fixtures.requireVirtualThreads();
        Path recording = Fixtures.recording("jobrunr-agent");
        List<String> options = new ArrayList<>(Fixtures.recordPinning(recording));
        options.addAll(Fixtures.classPath());
        app = InstrumentedJvm.fixture("port=0", options, VirtualJobRunrApp.class);
        try {
            app.awaitStdout(Pattern.compile("^done$"), Fixtures.TIMEOUT);
            truth = app.truth();
            long polls = truth.get("polls");
            scrape = app.scrapeUntil(s -> s.sum("task_poll_total", Map.of()) >= polls, Duration.ofSeconds(10));
            Promtool.assertLintClean(scrape);
            app.assertRecordedWithoutErrors(scrape);
            Fixtures.exit(app);
        } finally {
            app.close();
        }
        pinned = Fixtures.pinnedEvents(recording);
        System.out.println("JobRunr on virtual threads: " + truth + "; " + pinned.size() + " pinned parks");
    }

    @Test
    void everyJobRanOnAVirtualThread() {
        assertEquals(VirtualJobRunrApp.LOAD, truth.get("ran virtual"), truth.toString());
        assertEquals(null, truth.get("ran platform"), truth.toString());
    }

    @Test
    void executionsPerJobAndOutcomeEqualWhatTheJobsCounted() {
        long failures = 0;
        for (String method : List.of("invoice", "report")) {
            String type = signature(method);
            assertEquals(Work.class.getName() + "." + method + "(java.lang.String)", type);
            long failed = scrape.assertExecutions(truth, method, type);
            assertTrue(failed > 0, method + ": " + truth);
            failures += failed;
        }
        assertTrue(failures > 0);
        scrape.assertCount(VirtualJobRunrApp.LOAD, "task_execute_time_seconds_count", Map.of());
        scrape.assertCount(0, "task_active", Map.of());
    }

    @Test
    void statesSavedAfterRunsAndStartsEqualWhatJobRunrSaw() {
        for (String method : List.of("invoice", "report")) {
            long saved = truth.getOrDefault("saved " + method + " SUCCEEDED", 0L)
                    + truth.getOrDefault("saved " + method + " FAILED", 0L);
            scrape.assertCount(saved, "task_update_time_seconds_count",
                    Map.of("task_type", signature(method), "status", "SUCCESS"));
            scrape.assertCount(truth.get("enqueued " + method), "workflow_start_time_seconds_count",
                    Map.of("workflow_type", signature(method), "status", "SUCCESS"));
        }
        assertEquals(VirtualJobRunrApp.LOAD, truth.get("saved"));
        scrape.assertCount(VirtualJobRunrApp.LOAD, "task_update_time_seconds_count", Map.of());
        scrape.assertCount(VirtualJobRunrApp.LOAD, "workflow_start_time_seconds_count", Map.of());
    }

    @Test
    void pollsEqualTheStoragesCountedOnce() {
        long polls = truth.get("polls");
        assertTrue(polls > 0);
        scrape.assertCount(polls, "task_poll_total", Map.of("task_type", STORAGE));
        scrape.assertCount(polls, "task_poll_time_seconds_count", Map.of("task_type", STORAGE, "status", "SUCCESS"));
    }

    /**
     * The criterion: no pinned park with one of the agent's frames on its stack. The agent
     * runs each kind of probe once at start-up (its warm-up), so that no application thread loads
     * the classes a probe's first call needs, which would pin a virtual thread waiting for another.
     */
    @Test
    void noPinnedParkHasAnAgentFrameOnItsStack() {
        List<Fixtures.Pinned> byAgent = pinned.stream().filter(p -> p.hasFrameIn(Fixtures.AGENT_PACKAGE)).toList();
        assertTrue(byAgent.isEmpty(), byAgent.size() + " of " + pinned.size()
                + " pinned parks have the agent's frames on their stacks:\n" + VirtualThreadsTest.describe(byAgent));
    }

    /**
     * No pinned park in the agent's own code: every one with the agent's frames (if any) is a wait
     * for a class the JVM loads for the agent's code, which the JVM pins; none in its probes, locks
     * or waits. The waits are reported.
     */
    @Test
    void noPinnedParkInTheAgentsOwnCode() {
        List<Fixtures.Pinned> byAgent = pinned.stream().filter(p -> p.hasFrameIn(Fixtures.AGENT_PACKAGE)).toList();
        List<Fixtures.Pinned> inItsCode = byAgent.stream().filter(p -> !p.inClassLoadingForTheAgent()).toList();
        if (!byAgent.isEmpty()) {
            System.out.println("pinned parks waiting for a class the agent's code needed:\n"
                    + VirtualThreadsTest.describe(byAgent));
        }
        assertTrue(inItsCode.isEmpty(), inItsCode.size() + " of " + pinned.size()
                + " pinned parks are in the agent's own code:\n" + VirtualThreadsTest.describe(inItsCode));
    }

    @Test
    void theServerStoppedAndTheInstrumentationApplied() {
        assertTrue(scrape.sum("flowmeter_instrumented_methods", Map.of("instrumentation", "jobrunr")) > 0, scrape.text());
        assertEquals(1, scrape.sum("workflow_engine_status",
                Map.of("engine", "BackgroundJobServer", "workflow_engine_status", "STOPPED")), scrape.text());
    }

    private String signature(String method) {
        return app.stdoutAfter("signature " + method + " ");
    }
}
