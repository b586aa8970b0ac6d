package dev.flowmeter.engines.springboot.dbscheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flowmeter.testkit.InstrumentedJvm;
import dev.flowmeter.testkit.Promtool;
import dev.flowmeter.testkit.Scrape;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * db-scheduler made by its Spring Boot starter, in a fat jar started with {@code java -jar}: Boot's
 * launcher loads db-scheduler from a nested jar in a class loader of its own, and the agent must
 * weave it there. Every count on /metrics must equal what the application's tasks and its listener
 * bean counted (see {@link SchedulerApp}), and pausing, resuming and stopping the scheduler (the last
 * by closing the application context) must show in its status.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SpringBootDbSchedulerFatJarIT {

    private static final Path BOOT_JAR = Path.of(System.getProperty("flowmeter.boot.jar"));
    private static final Duration LOAD_TIMEOUT = Duration.ofMinutes(5);
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final String ENGINE = "Scheduler";
    private static final List<String> TASKS = List.of("send-invoice", "generate-report", "refresh-cache");

    private InstrumentedJvm app;
    private final Map<String, Long> truth = new HashMap<>();
    private Scrape scrape;

    @BeforeAll
    void runTheLoad() throws Exception {
        assertTrue(Files.isRegularFile(BOOT_JAR), BOOT_JAR + " is built by the package phase");
        app = InstrumentedJvm.java(List.of(InstrumentedJvm.agentFlag("port=0"), "-jar", BOOT_JAR.toString()));
        app.awaitStdout(Pattern.compile("^load done$"), LOAD_TIMEOUT);
        truth.putAll(app.truth());
        long executions = truth.entrySet().stream().filter(e -> e.getKey().startsWith("execute ")).mapToLong(Map.Entry::getValue).sum();
        // The scheduler is paused and quiet when the application prints its truth; polled all the same.
        scrape = app.scrapeUntil(s -> s.sum("task_execute_time_seconds_count", Map.of()) >= executions
                && s.sum("task_poll_total", Map.of()) >= truth.getOrDefault("polls", 0L), Duration.ofSeconds(10));
    }

    @AfterAll
    void stop() throws InterruptedException {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void theJarIsRepackagedWithNestedJars() throws Exception {
        try (ZipFile jar = new ZipFile(BOOT_JAR.toFile())) {
            for (String library : List.of("db-scheduler-16\\.", "db-scheduler-spring-boot-starter-", "h2-")) {
                assertTrue(jar.stream().anyMatch(entry -> entry.getName().matches("BOOT-INF/lib/" + library + ".*\\.jar")),
                        library + " is a nested jar of " + BOOT_JAR);
            }
            assertTrue(jar.stream().noneMatch(entry -> entry.getName().startsWith("com/github/kagkarlsson/")),
                    "db-scheduler is not unpacked");
        }
    }

    @Test
    void executionsPerTaskAndOutcomeEqualWhatTheTasksCounted() {
        long all = 0;
        for (String task : TASKS) {
            for (String status : List.of("SUCCESS", "FAILURE")) {
                long counted = truth.getOrDefault("execute " + task + " " + status, 0L);
                all += counted;
                scrape.assertCount(counted, "task_execute_time_seconds_count", Map.of("task_type", task, "status", status));
            }
            assertTrue(truth("execute " + task + " SUCCESS") > 0, truth.toString());
            scrape.assertCount(0, "task_active", Map.of("task_type", task));
        }
        assertTrue(truth("execute send-invoice FAILURE") > 0 && truth("execute generate-report FAILURE") > 0, truth.toString());
        scrape.assertCount(truth("execute send-invoice FAILURE"), "task_execute_error_total",
                Map.of("task_type", "send-invoice", "exception", "IllegalStateException"));
        scrape.assertCount(truth("execute generate-report FAILURE"), "task_execute_error_total",
                Map.of("task_type", "generate-report", "exception", "UnsupportedOperationException"));
        scrape.assertCount(0, "task_execute_error_total", Map.of("task_type", "refresh-cache"));
        scrape.assertCount(all, "task_execute_time_seconds_count", Map.of());
        // Every execution went through the interceptor bean's nested chain, and counted once.
        assertEquals(all, truth("intercepted"), truth.toString());
        assertEquals(0, truth("executions left"), truth.toString());
    }

    @Test
    void deadExecutionsEqualWhatTheSchedulerReported() {
        assertEquals(1, truth("dead send-invoice"), truth.toString());
        scrape.assertCount(1, "task_dead_execution_total", Map.of("task_type", "send-invoice"));
        scrape.assertCount(1, "task_dead_execution_total", Map.of());
    }

    @Test
    void pollsForDueExecutionsEqualTheSchedulersOwnCount() {
        assertTrue(truth("polls") > 0, truth.toString());
        assertEquals(0, truth.getOrDefault("unexpected errors", 0L), truth.toString());
        scrape.assertCount(truth("polls"), "task_poll_total", Map.of("task_type", "FetchCandidates"));
        scrape.assertCount(truth("polls"), "task_poll_time_seconds_count", Map.of("task_type", "FetchCandidates", "status", "SUCCESS"));
        scrape.assertCount(truth("polls"), "task_poll_total", Map.of());
        scrape.assertCount(0, "task_poll_error_total", Map.of());
    }

    @Test
    void theAgentWoveDbSchedulerInBootsClassLoaderWithoutErrors() {
        assertTrue(scrape.sum("flowmeter_instrumented_methods", Map.of("instrumentation", "db-scheduler")) > 0, scrape.text());
        app.assertRecordedWithoutErrors(scrape);
    }

    @Test
    void theScrapeIsLintClean() throws Exception {
        Promtool.assertLintClean(app.scrape());
    }

    /** Last: it resumes and stops the scheduler the other tests saw paused. */
    @Test
    @Order(Integer.MAX_VALUE)
    void pausingResumingAndStoppingTheSchedulerShowInItsStatus() throws Exception {
        assertState(scrape, "PAUSED");
        app.send("resume");
        app.awaitStdout(Pattern.compile("^resumed$"), TIMEOUT);
        assertState(app.scrape(), "RUNNING");
        app.send("stop");
        app.awaitStdout(Pattern.compile("^stopped$"), TIMEOUT);
        assertState(app.scrape(), "STOPPED");
    }

    private void assertState(Scrape current, String state) {
        for (String each : List.of("RUNNING", "PAUSED", "STOPPED")) {
            assertEquals(each.equals(state) ? 1 : 0, (long) current.sum("workflow_engine_status",
                    Map.of("engine", ENGINE, "workflow_engine_status", each)), each + " while " + state + "\n" + current.text());
        }
    }

    private long truth(String key) {
        Long value = truth.get(key);
        if (value == null) {
            throw new AssertionError("the fixture printed no truth '" + key + "': " + truth);
        }
        return value;
    }
}
