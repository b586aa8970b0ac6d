package dev.flowmeter.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flowmeter.e2e.fixtures.PlainApp;
import dev.flowmeter.testkit.InstrumentedJvm;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Bad arguments and a taken port: one line on stderr, and the application runs as if no agent were there. */
class StartupFaultsTest {

    private static final Pattern DONE = Pattern.compile("^app: executed 10 tasks$");

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "prot=9464|unknown key 'prot'",
        "port=-1|invalid value '-1' for 'port'",
        "port=http|invalid value 'http' for 'port'",
        "timers=quantiles|invalid value 'quantiles' for 'timers'",
        "disable=nothing|invalid value 'nothing' for 'disable'",
        "port=9464,port=9465|'port' is given twice",
        "tls_keystore=/no/such/server.p12,tls_keystore_password_file=/no/such/password|'/no/such/password'",
        "auth_user=prometheus|no password source is given",
        "config=/no/such/flowmeter.yaml|'/no/such/flowmeter.yaml' cannot be read"})
    void aBadArgumentLeavesTheApplicationRunning(String arguments, String expected) throws Exception {
        try (InstrumentedJvm jvm = InstrumentedJvm.fixture(arguments, PlainApp.class)) {
            assertRunsAndExitsNormally(jvm);
            List<String> agentLines = agentLines(jvm);
            assertEquals(1, agentLines.size(), jvm.describe());
            assertTrue(agentLines.get(0).contains(expected), agentLines.get(0));
            assertTrue(agentLines.get(0).contains("the application runs on"), agentLines.get(0));
        }
    }

    @Test
    void aTakenPortLeavesTheApplicationRunning() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                InstrumentedJvm jvm = InstrumentedJvm.fixture("host=127.0.0.1,port=" + taken.getLocalPort(), PlainApp.class)) {
            assertRunsAndExitsNormally(jvm);
            List<String> agentLines = agentLines(jvm);
            assertEquals(1, agentLines.size(), jvm.describe());
            assertTrue(agentLines.get(0).contains("port " + taken.getLocalPort()), agentLines.get(0));
        }
    }

    private static void assertRunsAndExitsNormally(InstrumentedJvm jvm) throws InterruptedException {
        jvm.awaitStdout(DONE, Duration.ofSeconds(60));
        assertEquals(0, jvm.waitForExit(Duration.ofSeconds(30)), jvm.describe());
    }

    private static List<String> agentLines(InstrumentedJvm jvm) {
        return jvm.stderr().stream().filter(line -> line.startsWith("flowmeter")).toList();
    }
}
