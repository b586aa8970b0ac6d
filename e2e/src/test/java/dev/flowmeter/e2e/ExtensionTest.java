package dev.flowmeter.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flowmeter.testkit.InstrumentedJvm;
import dev.flowmeter.testkit.Scrape;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * extensions=: the example extension, a collector written against the public client_java API, is
 * served beside the agent's own metrics; a broken extension costs one line on stderr, nothing more.
 */
class ExtensionTest {

    private static final Path EXAMPLE_JAR = Path.of("../extension-example/target/flowmeter-extension-example.jar")
            .toAbsolutePath().normalize();
    private static final int WORKFLOWS = 5;

    @TempDir
    Path temp;

    @Test
    void theExampleExtensionsMetricsAreServedBesideTheAgents() throws Exception {
        try (TestAppRun run = TestAppRun.finish("port=0,extensions=" + EXAMPLE_JAR, WORKFLOWS)) {
            Scrape scrape = run.jvm().scrape();
            assertAgentServes(scrape, run);
            List<Scrape.Sample> threads = scrape.matching(s -> s.name().equals("example_extension_threads"));
            assertTrue(threads.stream().anyMatch(s -> s.labels().equals(Map.of("state", "RUNNABLE")) && s.value() >= 1),
                    scrape.text());
            Set<String> states = Arrays.stream(Thread.State.values()).map(Enum::name).collect(Collectors.toSet());
            for (Scrape.Sample sample : threads) {
                assertTrue(states.contains(sample.labels().get("state")) && sample.value() >= 1, sample.toString());
            }
            assertEquals(1.0, scrape.sum("example_extension_info",
                    Map.of("java_version", InstrumentedJvm.javaVersion())), scrape.text());
            assertTrue(run.jvm().stderr().stream().noneMatch(line -> line.startsWith("flowmeter: extension")),
                    run.jvm().describe());

            JsonNode extensions = introspection(run).get("extensions");
            assertEquals(1, extensions.size(), extensions.toString());
            assertEquals(EXAMPLE_JAR.toString(), extensions.get(0).get("jar").asText());
            assertEquals("loaded", extensions.get(0).get("status").asText());
            assertEquals("dev.flowmeter.example.ThreadStatesCollector", extensions.get(0).get("collectors").get(0).asText());
        }
    }

    @Test
    void aMissingJarIsSkippedWithOneLine() throws Exception {
        assertSkippedBesideTheExample(temp.resolve("missing.jar"), "no readable jar");
    }

    @Test
    void aJarWithoutServicesEntryIsSkippedWithOneLine() throws Exception {
        Path jar = temp.resolve("no-services.jar");
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file, new Manifest())) {
            out.putNextEntry(new JarEntry("README.txt"));
            out.write("a collector would be listed in META-INF/services".getBytes());
        }
        assertSkippedBesideTheExample(jar, "META-INF/services/io.prometheus.metrics.model.registry.MultiCollector");
    }

    private static void assertSkippedBesideTheExample(Path broken, String why) throws Exception {
        try (TestAppRun run = TestAppRun.finish("port=0,extensions=" + broken + "," + EXAMPLE_JAR, WORKFLOWS)) {
            List<String> lines = run.jvm().stderr().stream().filter(line -> line.startsWith("flowmeter: extension")).toList();
            assertEquals(1, lines.size(), run.jvm().describe());
            assertTrue(lines.get(0).contains(broken.toString()) && lines.get(0).contains(why), lines.get(0));

            Scrape scrape = run.jvm().scrape();
            assertAgentServes(scrape, run);
            assertEquals(1.0, scrape.sum("example_extension_info", Map.of()), scrape.text());

            JsonNode extensions = introspection(run).get("extensions");
            assertEquals(broken.toString(), extensions.get(0).get("jar").asText());
            assertTrue(extensions.get(0).get("status").asText().startsWith("skipped: "), extensions.toString());
            assertEquals("loaded", extensions.get(1).get("status").asText(), extensions.toString());
        }
    }

    /** The agent's own metrics are all there, whatever the extensions did. */
    private static void assertAgentServes(Scrape scrape, TestAppRun run) {
        long executions = 0;
        for (JsonNode counted : run.stats().at("/tasks/executions")) {
            executions += counted.get("success").asLong() + counted.get("failed_result").asLong();
            for (JsonNode thrown : counted.get("exceptions")) {
                executions += thrown.asLong();
            }
        }
        assertTrue(executions > 0, run.stats().toPrettyString());
        assertEquals(executions, scrape.sum("task_execute_time_seconds_count", Map.of()), scrape.text());
    }

    private static JsonNode introspection(TestAppRun run) throws IOException, InterruptedException {
        String metrics = run.jvm().metricsUrl();
        return new ObjectMapper().readTree(InstrumentedJvm.get(metrics.replace("/metrics", "/-/flowmeter")));
    }
}
