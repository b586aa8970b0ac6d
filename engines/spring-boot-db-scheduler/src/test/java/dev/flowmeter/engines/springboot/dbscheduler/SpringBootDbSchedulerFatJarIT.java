package dev.flowmeter.engines.springboot.dbscheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flowmeter.testkit.FixtureRun;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * db-scheduler made by its Spring Boot starter, in a fat jar started with {@code java -jar}: Boot's
 * launcher loads db-scheduler from a nested jar in a class loader of its own, and the agent must
 * weave it there. Every count on /metrics must equal what the application's tasks and its listener
 * bean counted (see {@link SchedulerApp}), and pausing, resuming and stopping the scheduler (the last
 * by closing the application context) must show in its status.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SpringBootDbSchedulerFatJarIT {

    private static final Path BOOT_JAR = Path.of(System.getProperty("flowmeter.boot.jar"));
    private static final Duration LOAD_TIMEOUT = Duration.ofMinutes(5);
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final String ENGINE = "Scheduler";
    private static final List<String> TASKS = List.of("send-invoice", "generate-report", "refresh-cache");

    @RegisterExtension
    static final FixtureRun run = FixtureRun.jar(BOOT_JAR).readyAt("^load done$", LOAD_TIMEOUT)
            // The scheduler is paused and quiet when the application prints its truth; polled all the same.
            .scrapedWhen((truth, scrape) -> scrape.sum("task_execute_time_seconds_count", Map.of())
                    >= truth.entrySet().stream().filter(e -> e.getKey().startsWith("execute ")).mapToLong(Map.Entry::getValue).sum()
                    && scrape.sum("task_poll_total", Map.of()) >= truth.getOrDefault("polls", 0L));

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
                long counted = run.truth().getOrDefault("execute " + task + " " + status, 0L);
                all += counted;
                run.scrape().assertCount(counted, "task_execute_time_seconds_count", Map.of("task_type", task, "status", status));
            }
            assertTrue(run.truth("execute " + task + " SUCCESS") > 0, run.truth().toString());
            run.scrape().assertCount(0, "task_active", Map.of("task_type", task));
        }
        assertTrue(run.truth("execute send-invoice FAILURE") > 0 && run.truth("execute generate-report FAILURE") > 0, run.truth().toString());
        run.scrape().assertCount(run.truth("execute send-invoice FAILURE"), "task_execute_error_total",
                Map.of("task_type", "send-invoice", "exception", "IllegalStateException"));
        run.scrape().assertCount(run.truth("execute generate-report FAILURE"), "task_execute_error_total",
                Map.of("task_type", "generate-report", "exception", "UnsupportedOperationException"));
        run.scrape().assertCount(0, "task_execute_error_total", Map.of("task_type", "refresh-cache"));
        run.scrape().assertCount(all, "task_execute_time_seconds_count", Map.of());
        // Every execution went through the interceptor bean's nested chain, and counted once.
        assertEquals(all, run.truth("intercepted"), run.truth().toString());
        assertEquals(0, run.truth("executions left"), run.truth().toString());
    }

    @Test
    void deadExecutionsEqualWhatTheSchedulerReported() {
        assertEquals(1, run.truth("dead send-invoice"), run.truth().toString());
        run.scrape().assertCount(1, "task_dead_execution_total", Map.of("task_type", "send-invoice"));
        run.scrape().assertCount(1, "task_dead_execution_total", Map.of());
    }

    @Test
    void pollsForDueExecutionsEqualTheSchedulersOwnCount() {
        assertTrue(run.truth("polls") > 0, run.truth().toString());
        assertEquals(0, run.truth().getOrDefault("unexpected errors", 0L), run.truth().toString());
        run.scrape().assertCount(run.truth("polls"), "task_poll_total", Map.of("task_type", "FetchCandidates"));
        run.scrape().assertCount(run.truth("polls"), "task_poll_time_seconds_count", Map.of("task_type", "FetchCandidates", "status", "SUCCESS"));
        run.scrape().assertCount(run.truth("polls"), "task_poll_total", Map.of());
        run.scrape().assertCount(0, "task_poll_error_total", Map.of());
    }

    @Test
    void theAgentWoveDbSchedulerInBootsClassLoaderWithoutErrors() {
        run.assertInstrumentedWithoutErrors("db-scheduler");
    }

    @Test
    void theScrapeIsLintClean() throws Exception {
        run.assertLintClean();
    }

    /** Last: it resumes and stops the scheduler the other tests saw paused. */
    @Test
    @Order(Integer.MAX_VALUE)
    void pausingResumingAndStoppingTheSchedulerShowInItsStatus() throws Exception {
        run.scrape().assertEngineStatus(ENGINE, "PAUSED");
        run.app().sendAndAwait("resume", "^resumed$", TIMEOUT);
        run.app().scrape().assertEngineStatus(ENGINE, "RUNNING");
        run.app().sendAndAwait("stop", "^stopped$", TIMEOUT);
        run.app().scrape().assertEngineStatus(ENGINE, "STOPPED");
    }
}
