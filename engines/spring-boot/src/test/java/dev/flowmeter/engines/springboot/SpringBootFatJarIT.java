package dev.flowmeter.engines.springboot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flowmeter.testkit.BootJar;
import dev.flowmeter.testkit.InstrumentedJvm;
import dev.flowmeter.testkit.Scrape;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A Spring Boot fat jar, started with {@code java -jar}: Boot's launcher loads Quartz, Spring and the
 * application from nested jars in a class loader of its own, and the agent must weave them there.
 * The same application beside the OpenTelemetry Java agent, which weaves the same Quartz and
 * HttpClient methods with its own ByteBuddy, in both orders of the {@code -javaagent} flags: the
 * counts are still exact and no advice fails.
 */
class SpringBootFatJarIT {

    private static final Path BOOT_JAR = Path.of(System.getProperty("flowmeter.boot.jar"));
    private static final Path OTEL_AGENT = Path.of(System.getProperty("flowmeter.otel.jar"));
    private static final Duration TIMEOUT = Duration.ofSeconds(180);
    /** The OpenTelemetry agent, exporting nothing: no collector runs here. */
    private static final List<String> OTEL = List.of("-javaagent:" + OTEL_AGENT.toAbsolutePath(),
            "-Dotel.traces.exporter=none", "-Dotel.metrics.exporter=none", "-Dotel.logs.exporter=none");

    @Test
    void theJarIsRepackagedWithNestedJars() throws Exception {
        BootJar.assertNested(BOOT_JAR, "org/quartz/", List.of("quartz-"));
    }

    @Test
    void jobsAndHttpCallsInAFatJarAreCountedAsTheApplicationCountedThem() throws Exception {
        run(List.of());
    }

    @Test
    void besideTheOpenTelemetryAgentLoadedFirst() throws Exception {
        run(OTEL);
    }

    @Test
    void besideTheOpenTelemetryAgentLoadedSecond() throws Exception {
        List<String> after = new ArrayList<>();
        after.add(InstrumentedJvm.agentFlag("port=0"));
        after.addAll(OTEL);
        runExactly(after);
    }

    /** Flowmeter's agent after {@code before}. */
    private static void run(List<String> before) throws Exception {
        List<String> arguments = new ArrayList<>(before);
        arguments.add(InstrumentedJvm.agentFlag("port=0"));
        runExactly(arguments);
    }

    private static void runExactly(List<String> agents) throws Exception {
        assertTrue(Files.isRegularFile(BOOT_JAR), BOOT_JAR + " is built by the package phase");
        List<String> command = new ArrayList<>(agents);
        command.addAll(List.of("-jar", BOOT_JAR.toString()));
        try (InstrumentedJvm app = InstrumentedJvm.java(command)) {
            app.awaitStdout(Pattern.compile("^load done"), TIMEOUT);
            Map<String, Long> truth = app.truth();
            assertEquals(BootApp.LOAD, truth.get("finished"), truth.toString());
            Scrape scrape = app.scrapeUntil(s -> s.sum("task_execute_time_seconds_count", Map.of()) >= BootApp.LOAD
                    && s.sum("api_request_time_seconds_count", Map.of()) >= BootApp.LOAD, Duration.ofSeconds(10));

            long failures = 0;
            for (Class<?> job : List.of(InvoiceJob.class, ReportJob.class)) {
                long ok = truth.getOrDefault("ok " + job.getName(), 0L);
                long failed = truth.getOrDefault("failed " + job.getName() + " JobExecutionException", 0L);
                assertTrue(ok > 0, job + " must succeed sometimes: " + truth);
                scrape.assertCount(ok, "task_execute_time_seconds_count", Map.of("task_type", job.getName(), "status", "SUCCESS"));
                scrape.assertCount(failed, "task_execute_time_seconds_count", Map.of("task_type", job.getName(), "status", "FAILURE"));
                scrape.assertCount(failed, "task_execute_error_total",
                        Map.of("task_type", job.getName(), "exception", "JobExecutionException"));
                failures += failed;
            }
            assertTrue(failures > 0, "the load must contain failures: " + truth);
            scrape.assertCount(BootApp.LOAD, "task_execute_time_seconds_count", Map.of());

            long found = truth.get("http GET 200");
            long missing = truth.get("http GET 404");
            assertEquals(BootApp.LOAD, found + missing, truth.toString());
            scrape.assertCount(found, "api_request_time_seconds_count", Map.of("method", "GET", "status", "200"));
            scrape.assertCount(missing, "api_request_time_seconds_count", Map.of("method", "GET", "status", "404"));
            scrape.assertCount(BootApp.LOAD, "api_request_time_seconds_count", Map.of());

            assertTrue(scrape.sum("flowmeter_instrumented_methods", Map.of("instrumentation", "quartz")) > 0, scrape.text());
            assertTrue(scrape.sum("flowmeter_instrumented_methods", Map.of("instrumentation", "jdk-httpclient")) > 0, scrape.text());
            scrape.assertCount(0, "flowmeter_advice_errors_total", Map.of());
            assertTrue(app.stderr().stream().noneMatch(line -> line.startsWith("flowmeter:")), app.describe());
        }
    }
}
