package dev.flowmeter.engines.vthreads;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flowmeter.engines.vthreads.fixture.VirtualThreadsApp;
import dev.flowmeter.testkit.InstrumentedJvm;
import dev.flowmeter.testkit.Promtool;
import dev.flowmeter.testkit.Scrape;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * 100,000 virtual threads (after 1,000 to warm up), each calling rule-instrumented methods: a timer
 * with labels through an override that calls super, a task_execute one to three matched methods
 * deep whose task type a task_update on the same thread reads as a shared label, and an asynchronous
 * call completed on the thread or on another virtual thread. Run once with the agent and once
 * without, each under JFR recording every pinned park: counts exact; no pinned park with one of
 * the agent's frames on its stack; the finished threads collectable, and the heap after the run
 * within a stated bound of the run without the agent.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class VirtualThreadsTest {

    /** Heap after the run, with the agent against without it: the agent's own classes' objects, its registry, ByteBuddy's caches. */
    static final long HEAP_BOUND = 8L << 20;
    /**
     * Growth of the heap over the run of 100,000 threads, with the agent against without it. A per-thread
     * object of the agent's kept for every finished thread, of 16 bytes, would add 1.6 MB.
     */
    static final long GROWTH_BOUND = 1L << 20;

    private static final long TOTAL = VirtualThreadsApp.WARM_UP + VirtualThreadsApp.THREADS;

    private Run agent;
    private Run plain;

    /** What one fixture JVM printed and recorded. */
    record Run(Map<String, Long> truth, Scrape scrape, long heapBefore, long heapAfter, int watched, int alive,
            String timing, List<Fixtures.Pinned> pinned, String stderr) {
        long growth() {
            return heapAfter - heapBefore;
        }
    }

    @BeforeAll
    void runWithAndWithoutTheAgent() throws Exception {
        Fixtures.requireVirtualThreads();
        // 16 carriers on 2 cores: more threads race to the first uses of classes, the agent's among them.
        List<String> options = List.of("-Xmx512m", "-Djdk.virtualThreadScheduler.parallelism=16");
        Path withAgent = Fixtures.recording("load-agent");
        List<String> agentOptions = new ArrayList<>(options);
        agentOptions.addAll(Fixtures.recordPinning(withAgent));
        agentOptions.addAll(Fixtures.classPath());
        // weave_cache=off: the fixture's classes are woven, and ByteBuddy loaded, on virtual threads.
        try (InstrumentedJvm jvm = InstrumentedJvm.fixture("port=0,weave_cache=off,config=" + Fixtures.RULES,
                agentOptions, VirtualThreadsApp.class, "load")) {
            agent = finish(jvm, true, withAgent);
        }
        Path without = Fixtures.recording("load-plain");
        List<String> plainOptions = new ArrayList<>(options);
        plainOptions.addAll(Fixtures.recordPinning(without));
        plainOptions.addAll(Fixtures.classPath());
        plainOptions.add(VirtualThreadsApp.class.getName());
        plainOptions.add("load");
        try (InstrumentedJvm jvm = InstrumentedJvm.java(plainOptions)) {
            plain = finish(jvm, false, without);
        }
        System.out.printf("virtual threads, %s: with the agent %s, heap after full GC %d before / %d after the run"
                        + " (growth %d); without %s, %d / %d (growth %d); after - after = %d bytes, growth - growth = %d"
                        + " bytes; watched threads alive: %d of %d, %d of %d; pinned parks: %d, %d%n",
                InstrumentedJvm.javaVersion(), agent.timing, agent.heapBefore, agent.heapAfter, agent.growth(),
                plain.timing, plain.heapBefore, plain.heapAfter, plain.growth(), agent.heapAfter - plain.heapAfter,
                agent.growth() - plain.growth(), agent.alive, agent.watched, plain.alive, plain.watched,
                agent.pinned.size(), plain.pinned.size());
    }

    private static Run finish(InstrumentedJvm jvm, boolean instrumented, Path recording) throws Exception {
        jvm.awaitStdout(Pattern.compile("^done$"), Fixtures.TIMEOUT);
        Scrape scrape = instrumented ? jvm.scrape() : null;
        if (instrumented) {
            Promtool.assertLintClean(scrape);
            jvm.assertRecordedWithoutErrors(scrape);
        }
        Map<String, Long> truth = jvm.truth();
        String timing = jvm.stdoutAfter("run ");
        long before = Long.parseLong(jvm.stdoutAfter("heap before "));
        long after = Long.parseLong(jvm.stdoutAfter("heap after "));
        // "watched N alive M"
        String[] watched = jvm.stdoutAfter("watched ").split(" ");
        String stderr = String.join("\n", jvm.stderr());
        Fixtures.exit(jvm);
        return new Run(truth, scrape, before, after, Integer.parseInt(watched[0]), Integer.parseInt(watched[2]),
                timing, Fixtures.pinnedEvents(recording), stderr);
    }

    @Test
    void everyUnitRanOnAVirtualThreadOfItsOwnAndTheRunsDidTheSameWork() {
        assertEquals(TOTAL, agent.truth.get("threads"), agent.truth.toString());
        assertEquals(TOTAL, agent.truth.get("virtual"), agent.truth.toString());
        assertEquals(agent.truth, plain.truth, "the same work with and without the agent");
        assertTrue(agent.truth.keySet().stream().noneMatch(key -> key.startsWith("unexpected")), agent.truth.toString());
    }

    @Test
    void timersWithLabelsCountEveryCallOnceThroughOverridesCallingSuper() {
        Scrape scrape = agent.scrape;
        long calls = 0;
        long failures = 0;
        for (String region : VirtualThreadsApp.REGIONS) {
            for (String desk : List.of("plain", "priority")) {
                long ok = agent.truth.getOrDefault("place ok " + region + " " + desk, 0L);
                long failed = agent.truth.getOrDefault("place failed " + region + " " + desk, 0L);
                Map<String, String> labels = Map.of("region", region, "desk", desk);
                calls += assertOutcomes(scrape, "vt_place", labels, ok, failed, "IllegalStateException");
                scrape.assertCount(ok + failed, "vt_place_calls_total", labels);
                failures += failed;
            }
        }
        assertEquals(TOTAL, calls);
        assertTrue(failures > 0);
        scrape.assertCount(TOTAL, "vt_place_time_seconds_count", Map.of());
        scrape.assertCount(TOTAL, "vt_place_calls_total", Map.of());
    }

    @Test
    void nestedStepsAreMeasuredOnceAndNoneStaysInProgress() {
        Scrape scrape = agent.scrape;
        long executions = 0;
        for (String type : VirtualThreadsApp.TYPES) {
            long ok = agent.truth.getOrDefault("step ok " + type, 0L);
            long failed = agent.truth.getOrDefault("step failed " + type, 0L);
            assertTrue(ok > 0 && failed > 0, agent.truth.toString());
            executions += assertOutcomes(scrape, "task_execute", Map.of("task_type", type), ok, failed, "IllegalArgumentException");
        }
        assertEquals(TOTAL, executions);
        scrape.assertCount(TOTAL, "task_execute_time_seconds_count", Map.of());
        scrape.assertCount(0, "task_active", Map.of());
    }

    @Test
    void aSharedLabelStaysWithItsVirtualThreadAcrossCarriers() {
        Scrape scrape = agent.scrape;
        for (String type : VirtualThreadsApp.TYPES) {
            scrape.assertCount(agent.truth.get("report " + type), "task_update_time_seconds_count",
                    Map.of("task_type", type, "status", "SUCCESS"));
        }
        scrape.assertCount(TOTAL, "task_update_time_seconds_count", Map.of());
    }

    // Its loop is like nestedStepsAreMeasuredOnceAndNoneStaysInProgress's on purpose: each reads its own truth
    // keys and labels, and the outcome checks they share are assertOutcomes'.
    @Test
    void asynchronousCallsAreTimedUntilCompletedOnWhicheverVirtualThread() {
        Scrape scrape = agent.scrape;
        long sends = 0;
        for (String channel : VirtualThreadsApp.CHANNELS) {
            long ok = agent.truth.getOrDefault("send ok " + channel, 0L);
            long failed = agent.truth.getOrDefault("send failed " + channel, 0L);
            assertTrue(ok > 0 && failed > 0, agent.truth.toString());
            sends += assertOutcomes(scrape, "vt_send", Map.of("channel", channel), ok, failed, "IOException");
        }
        assertEquals(TOTAL, sends);
    }

    /**
     * The criterion: no pinned park with one of the agent's frames on its stack. The agent
     * runs each kind of probe once at start-up (its warm-up), so that no application thread loads
     * the classes a probe's first call needs, which would pin a virtual thread waiting for another.
     */
    @Test
    void noPinnedParkHasAnAgentFrameOnItsStack() {
        List<Fixtures.Pinned> byAgent = agent.pinned.stream().filter(p -> p.hasFrameIn(Fixtures.AGENT_PACKAGE)).toList();
        assertTrue(byAgent.isEmpty(), byAgent.size() + " of " + agent.pinned.size()
                + " pinned parks have the agent's frames on their stacks:\n" + VirtualThreadsTest.describe(byAgent));
    }

    /**
     * No pinned park in the agent's own code: every one with the agent's frames (if any) is a wait
     * for a class the JVM loads for the agent's code, which the JVM pins; none in its probes, locks
     * or waits. The waits are reported.
     */
    @Test
    void noPinnedParkInTheAgentsOwnCode() {
        List<Fixtures.Pinned> byAgent = agent.pinned.stream().filter(p -> p.hasFrameIn(Fixtures.AGENT_PACKAGE)).toList();
        List<Fixtures.Pinned> inItsCode = byAgent.stream().filter(p -> !p.inClassLoadingForTheAgent()).toList();
        if (!byAgent.isEmpty()) {
            System.out.println("pinned parks waiting for a class the agent's code needed:\n"
                    + VirtualThreadsTest.describe(byAgent));
        }
        assertTrue(inItsCode.isEmpty(), inItsCode.size() + " of " + agent.pinned.size()
                + " pinned parks are in the agent's own code:\n" + VirtualThreadsTest.describe(inItsCode));
    }

    @Test
    void finishedVirtualThreadsAreCollectableWithTheAgentsStateInThem() {
        assertEquals(VirtualThreadsApp.THREADS / VirtualThreadsApp.WATCH_EVERY, agent.watched);
        assertEquals(0, agent.alive, "watched threads still reachable after the run, with the agent");
        assertEquals(0, plain.alive, "watched threads still reachable after the run, without the agent");
        long growth = agent.growth() - plain.growth();
        assertTrue(growth <= GROWTH_BOUND, "the heap grew over the run by " + agent.growth() + " bytes with the agent, "
                + plain.growth() + " without: " + growth + " more, against a bound of " + GROWTH_BOUND);
        long after = agent.heapAfter - plain.heapAfter;
        assertTrue(after <= HEAP_BOUND, "the heap after the run was " + agent.heapAfter + " bytes with the agent, "
                + plain.heapAfter + " without: " + after + " more, against a bound of " + HEAP_BOUND);
    }

    /**
     * The two measures can fail: the same fixture without the agent, keeping every finished thread of
     * the run, leaves its watched threads reachable and grows the heap past the bound.
     */
    @Test
    void aFixtureThatKeepsItsFinishedThreadsFailsBothMeasures() throws Exception {
        List<String> options = new ArrayList<>(List.of("-Xmx512m", "-Djdk.virtualThreadScheduler.parallelism=16"));
        options.addAll(Fixtures.classPath());
        options.addAll(List.of(VirtualThreadsApp.class.getName(), "load", "retain"));
        long growth;
        int alive;
        try (InstrumentedJvm jvm = InstrumentedJvm.java(options)) {
            jvm.awaitStdout(Pattern.compile("^done$"), Fixtures.TIMEOUT);
            growth = Long.parseLong(jvm.stdoutAfter("heap after ")) - Long.parseLong(jvm.stdoutAfter("heap before "));
            alive = Integer.parseInt(jvm.stdoutAfter("watched ").split(" ")[2]);
            Fixtures.exit(jvm);
        }
        System.out.printf("keeping its finished threads, the fixture's heap grew by %d bytes over the run, %d more"
                + " than without; watched threads alive: %d%n", growth, growth - plain.growth(), alive);
        assertEquals(VirtualThreadsApp.THREADS / VirtualThreadsApp.WATCH_EVERY, alive);
        assertTrue(growth - plain.growth() > GROWTH_BOUND, growth + " bytes");
    }

    /**
     * The calls of one kind with {@code labels}, as the fixture counted them ({@code ok} and {@code failed}): the
     * SUCCESS and FAILURE counts of the timer {@code PREFIX_time_seconds}, and the errors {@code PREFIX_error_total}
     * of {@code exception}. Returns the calls.
     */
    private static long assertOutcomes(Scrape scrape, String prefix, Map<String, String> labels, long ok, long failed,
            String exception) {
        scrape.assertCount(ok, prefix + "_time_seconds_count", with(labels, "status", "SUCCESS"));
        scrape.assertCount(failed, prefix + "_time_seconds_count", with(labels, "status", "FAILURE"));
        scrape.assertCount(failed, prefix + "_error_total", with(labels, "exception", exception));
        return ok + failed;
    }

    private static Map<String, String> with(Map<String, String> labels, String name, String value) {
        Map<String, String> all = new java.util.HashMap<>(labels);
        all.put(name, value);
        return all;
    }

    static String describe(List<Fixtures.Pinned> pinned) {
        return pinned.stream().map(p -> p.nanos() + " ns, " + p.operation() + ", " + p.reason() + ": "
                + String.join(" < ", p.frames())).collect(Collectors.joining("\n"));
    }
}
