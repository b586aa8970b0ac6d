package dev.flowmeter.e2e;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flowmeter.e2e.fixtures.PlainApp;
import dev.flowmeter.testkit.InstrumentedJvm;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Instrumented methods call their probes out of line, so that they compile to about as little machine
 * code as before and are still inlined into their callers: as the JIT compiler itself reports.
 */
class ProbeCallsTest {

    /** A line of -XX:+PrintInlining about a call site of a probe: "@ 8   dev...Probes::enter (25 bytes)   ...". */
    private static final Pattern PROBE_CALL = Pattern.compile("@ \\d+ +dev\\.flowmeter\\.agent\\.bootstrap\\.Probes::(enter|exit) ");

    @Test
    void theJitCompilerInlinesNoProbeIntoAnInstrumentedMethod() throws Exception {
        // -Xbatch: every compilation finishes before the code that asked for it runs on, so the app's
        // last line comes after the compilations of its loop.
        List<String> options = List.of("-Xbatch", "-XX:+UnlockDiagnosticVMOptions", "-XX:+PrintInlining",
                "-cp", System.getProperty("java.class.path"));
        try (InstrumentedJvm jvm = InstrumentedJvm.fixture("port=off", options, PlainApp.class, "100000")) {
            jvm.awaitStdout(Pattern.compile("app: executed 100000 tasks"), Duration.ofSeconds(60));

            List<String> probeCalls = jvm.stdout().stream().filter(line -> PROBE_CALL.matcher(line).find())
                    .collect(Collectors.toList());
            assertFalse(probeCalls.isEmpty(), "no compiled method called a probe:\n" + String.join("\n", jvm.stdout()));
            assertTrue(probeCalls.stream().allMatch(line -> line.contains("don't inline by annotation")),
                    String.join("\n", probeCalls));
        }
    }
}
