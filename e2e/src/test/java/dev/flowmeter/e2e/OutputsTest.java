package dev.flowmeter.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flowmeter.e2e.fixtures.PlainApp;
import dev.flowmeter.e2e.fixtures.ThrowingWorkerApp;
import dev.flowmeter.testkit.InstrumentedJvm;
import dev.flowmeter.testkit.Scrape;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The outputs beside the scrape endpoint: JVM metrics, a textfile for node_exporter, a Pushgateway. */
class OutputsTest {

    private static final Pattern EXECUTED = Pattern.compile("^app: executed (\\d+) tasks$");
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    Path folder;

    @Test
    void aShortLivedJvmLeavesItsFinalCountsInTheTextfile() throws Exception {
        Path textfile = folder.resolve("flowmeter.prom");
        try (InstrumentedJvm app = InstrumentedJvm.fixture("port=off,textfile=" + textfile + ",textfile_interval=1h",
                PlainApp.class)) {
            long executed = executed(app);
            assertEquals(0, app.waitForExit(TIMEOUT), app.describe());
            Scrape written = Scrape.parse(Files.readString(textfile));
            assertEquals(executed, (long) written.sum("task_execute_time_seconds_count",
                    Map.of("task_type", "plain_task", "status", "SUCCESS")), written.text());
            try (Stream<Path> files = Files.list(folder)) {
                assertEquals(List.of(textfile), files.toList(), "written atomically: no temporary file is left");
            }
        }
    }

    @Test
    void aShortLivedJvmPushesItsFinalCountsToThePushgateway() throws Exception {
        int port = freePort();
        Process pushgateway = new ProcessBuilder("prometheus-pushgateway", "--web.listen-address=127.0.0.1:" + port)
                .redirectErrorStream(true).redirectOutput(folder.resolve("pushgateway.log").toFile()).start();
        try {
            String url = "http://127.0.0.1:" + port;
            awaitReady(url + "/-/ready");
            try (InstrumentedJvm app = InstrumentedJvm.fixture("port=off,pushgateway=" + url
                    + ",job=nightly_batch,pushgateway_interval=1h", PlainApp.class)) {
                long executed = executed(app);
                assertEquals(0, app.waitForExit(TIMEOUT), app.describe());
                Scrape pushed = Scrape.parse(InstrumentedJvm.get(url + "/metrics"));
                assertEquals(executed, (long) pushed.sum("task_execute_time_seconds_count",
                        Map.of("job", "nightly_batch", "task_type", "plain_task", "status", "SUCCESS")), pushed.text());
                assertFalse(pushed.matching(sample -> sample.name().equals("flowmeter_info")
                        && "nightly_batch".equals(sample.labels().get("job"))
                        && !sample.labels().getOrDefault("instance", "").isEmpty()).isEmpty(), pushed.text());
            }
        } finally {
            pushgateway.destroy();
            pushgateway.waitFor();
        }
    }

    @Test
    void jvmMetricsJoinTheAgentsOwn() throws Exception {
        try (InstrumentedJvm app = InstrumentedJvm.fixture("port=0,jvm=true", ThrowingWorkerApp.class)) {
            app.awaitStdout(Pattern.compile("same exception instance"), TIMEOUT);
            Scrape scrape = app.scrape();
            assertTrue(scrape.sum("jvm_threads_current", Map.of()) > 0, scrape.text());
            assertTrue(scrape.sum("jvm_memory_used_bytes", Map.of("area", "heap")) > 0);
            assertEquals(3, scrape.sum("task_execute_error_total", Map.of("task_type", "failing_task")));
            // The instrumented JVM runs on the JDK the suite was asked for (.ci/run runs it on JDK 17 and 25).
            String expected = InstrumentedJvm.javaVersion();
            assertFalse(scrape.matching(sample -> sample.name().equals("jvm_runtime_info")
                    && sample.labels().getOrDefault("version", "").startsWith(expected + "+")).isEmpty(),
                    "the JVM is not " + expected + ": " + scrape.matching(sample -> sample.name().equals("jvm_runtime_info")));
        }
    }

    private static long executed(InstrumentedJvm app) throws InterruptedException {
        java.util.regex.Matcher line = EXECUTED.matcher(app.awaitStdout(EXECUTED, TIMEOUT));
        assertTrue(line.matches());
        return Long.parseLong(line.group(1));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void awaitReady(String url) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (true) {
            try {
                InstrumentedJvm.get(url);
                return;
            } catch (IOException notYet) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("the Pushgateway did not get ready at " + url, notYet);
                }
                Thread.sleep(50);
            }
        }
    }
}
