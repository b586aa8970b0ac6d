package dev.flowmeter.engines.vthreads;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flowmeter.engines.vthreads.fixture.PinSite;
import dev.flowmeter.engines.vthreads.fixture.VirtualThreadsApp;
import dev.flowmeter.testkit.InstrumentedJvm;
import dev.flowmeter.testkit.Scrape;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The pinning check of {@link VirtualThreadsTest} can fail: in a JVM with the agent and the same
 * recording, an instrumented method whose body blocks in a class initializer pins its carrier, and
 * the recording shows that park with the fixture's frames and none of the agent's; an instrumented
 * method whose label getter, called by the agent, blocks the same way shows the agent's frames, which
 * is what the check looks for. A synchronized method that sleeps pins nothing on JDK 24 and later
 * (JEP 491), which is why the fixture pins with class initializers.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class VirtualThreadsPinningSanityTest {

    private static final String SITE = PinSite.class.getName();

    private List<Fixtures.Pinned> pinned;
    private Scrape scrape;

    @BeforeAll
    void runThePinningMethods() throws Exception {
        // Set up like VirtualThreadsJobRunrTest's on purpose: each test class starts its own fixture with a recording
        // of its own name, whose path it reads back after the run.
        Fixtures.requireVirtualThreads();
        Path recording = Fixtures.recording("pin-agent");
        List<String> options = new ArrayList<>(Fixtures.recordPinning(recording));
        options.addAll(Fixtures.classPath());
        try (InstrumentedJvm jvm = InstrumentedJvm.fixture("port=0,weave_cache=off,config=" + Fixtures.RULES, options,
                VirtualThreadsApp.class, "pin")) {
            jvm.awaitStdout(Pattern.compile("^done$"), Fixtures.TIMEOUT);
            scrape = jvm.scrape();
            jvm.assertRecordedWithoutErrors(scrape);
            Fixtures.exit(jvm);
        }
        pinned = Fixtures.pinnedEvents(recording);
        System.out.println("pinning sanity run, " + pinned.size() + " pinned parks:\n" + VirtualThreadsTest.describe(pinned));
    }

    @Test
    void theInstrumentedMethodsRan() {
        scrape.assertCount(1, "vt_pin_body_calls_total", Map.of());
        scrape.assertCount(1, "vt_pin_label_calls_total", Map.of("site", "slow"));
        scrape.assertCount(1, "vt_pin_monitor_calls_total", Map.of());
    }

    @Test
    void aPinInTheBodyOfAnInstrumentedMethodShowsTheFixturesFramesAndNoneOfTheAgents() {
        List<Fixtures.Pinned> body = pinned.stream()
                .filter(p -> p.hasFrame(SITE + "$SlowInit.<clinit>") && p.hasFrame(SITE + ".initialiseSlowly")).toList();
        assertEquals(1, body.size(), VirtualThreadsTest.describe(pinned));
        assertFalse(body.get(0).hasFrameIn(Fixtures.AGENT_PACKAGE), VirtualThreadsTest.describe(body));
    }

    @Test
    void aPinUnderTheAgentsCallShowsTheAgentsFrames() {
        List<Fixtures.Pinned> label = pinned.stream().filter(p -> p.hasFrame(SITE + "$SlowLabel.<clinit>")).toList();
        assertEquals(1, label.size(), VirtualThreadsTest.describe(pinned));
        assertTrue(label.get(0).hasFrameIn(Fixtures.AGENT_PACKAGE), VirtualThreadsTest.describe(label));
        assertTrue(label.get(0).hasFrame(SITE + ".labelled"), VirtualThreadsTest.describe(label));
        // A park in code the agent calls, not in class loading: the weaker check fails on it too.
        assertFalse(label.get(0).inClassLoadingForTheAgent(), VirtualThreadsTest.describe(label));
    }

    /** Stacks of pinned parks seen in VirtualThreadsTest's runs (Temurin 25.0.3), top first, and made-up ones. */
    @Test
    void aWaitForAClassTheAgentsCodeNeedsIsToldApart() {
        Fixtures.Pinned seen = new Fixtures.Pinned(9_021_711, "Contended_monitor_enter", "Freeze_or_preempt_failed_(2)", List.of(
                "jdk.internal.loader.BuiltinClassLoader.loadClassOrNull", "jdk.internal.loader.BuiltinClassLoader.loadClass",
                "java.lang.ClassLoader.loadClass", "dev.flowmeter.agent.rules.expr.Expression$Step.computeValue",
                "dev.flowmeter.agent.rules.expr.Expression$Step.computeValue", "java.lang.ClassValue.getFromHashMap",
                "java.lang.ClassValue.getFromBackup", "java.lang.ClassValue.get",
                "dev.flowmeter.agent.rules.expr.Expression$Step.label", "dev.flowmeter.agent.rules.expr.Expression.value",
                "dev.flowmeter.agent.probe.TimedProbe.series", "dev.flowmeter.agent.probe.TimedProbe.record",
                "dev.flowmeter.agent.probe.TimedProbe.exit", "dev.flowmeter.agent.bootstrap.Probes.exit",
                "dev.flowmeter.engines.vthreads.fixture.Orders.place"));
        assertTrue(seen.hasFrameIn(Fixtures.AGENT_PACKAGE));
        assertTrue(seen.inClassLoadingForTheAgent());
        Fixtures.Pinned atTheAgentsFrame = new Fixtures.Pinned(10_927_469, "Contended_monitor_enter",
                "Freeze_or_preempt_failed_(2)", List.of("dev.flowmeter.agent.rules.expr.Expression.root",
                        "dev.flowmeter.agent.rules.expr.Expression.value", "dev.flowmeter.agent.bootstrap.Probes.exit",
                        "dev.flowmeter.engines.vthreads.fixture.PriorityOrders.place"));
        assertTrue(atTheAgentsFrame.inClassLoadingForTheAgent());
        Fixtures.Pinned inTheTransformer = new Fixtures.Pinned(1, "Contended_monitor_enter", "-", List.of(
                "dev.flowmeter.agent.transform.RuleIndex.applicable", "dev.flowmeter.agent.transform.ClassFilter.transform",
                "java.lang.ClassLoader.defineClass1"));
        assertFalse(inTheTransformer.inClassLoadingForTheAgent());
        Fixtures.Pinned applications = new Fixtures.Pinned(1, "Contended_monitor_enter", "-", List.of("jdk.internal.loader.BuiltinClassLoader.loadClassOrNull",
                "java.lang.ClassLoader.loadClass", "dev.flowmeter.engines.vthreads.fixture.Gateway.send"));
        assertFalse(applications.inClassLoadingForTheAgent());
    }

    @Test
    void aMonitorPinsNothingOnJdk24AndLater() throws Exception {
        boolean monitorPins = pinned.stream().anyMatch(p -> p.hasFrame(SITE + ".sleepHoldingMonitor"));
        assertEquals(Fixtures.featureVersion() < 24, monitorPins, VirtualThreadsTest.describe(pinned));
    }
}
