package dev.flowmeter.engines.springboot.batch;

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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Spring Batch 6 configured by Spring Boot 4's batch auto-configuration, in a fat jar started with
 * {@code java -jar}: Boot's launcher loads Spring Batch from nested jars in a class loader of its
 * own, and the agent must weave it there. Every count on /metrics must equal what the application
 * and its job repository recorded (see {@link BatchApp}), the launch by Boot's runner among them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SpringBootBatchFatJarIT {

    private static final Path BOOT_JAR = Path.of(System.getProperty("flowmeter.boot.jar"));
    private static final Duration LOAD_TIMEOUT = Duration.ofMinutes(5);
    private static final List<String> JOBS = List.of("importJob", "cleanupJob", "reindexJob");
    private static final List<String> STEPS = List.of("import", "legacyImport", "publish", "cleanup", "reindex", "reindexWorker");

    private InstrumentedJvm app;
    private final Map<String, Long> truth = new HashMap<>();
    private Scrape scrape;

    @BeforeAll
    void runTheJobs() throws Exception {
        assertTrue(Files.isRegularFile(BOOT_JAR), BOOT_JAR + " is built by the package phase");
        app = InstrumentedJvm.java(List.of(InstrumentedJvm.agentFlag("port=0"), "-jar", BOOT_JAR.toString()));
        app.awaitStdout(Pattern.compile("^load done$"), LOAD_TIMEOUT);
        truth.putAll(app.truth());
        long launched = JOBS.stream().mapToLong(job -> truth.getOrDefault("launch " + job + " ok", 0L)).sum();
        // Each launch is recorded on the launching thread before the launch returns; polled all the same.
        scrape = app.scrapeUntil(s -> s.sum("workflow_duration_seconds_count", Map.of()) >= launched, Duration.ofSeconds(10));
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
            for (String library : List.of("spring-batch-core-6\\.", "spring-boot-batch-jdbc-", "h2-")) {
                assertTrue(jar.stream().anyMatch(entry -> entry.getName().matches("BOOT-INF/lib/" + library + ".*\\.jar")),
                        library + " is a nested jar of " + BOOT_JAR);
            }
            assertTrue(jar.stream().noneMatch(entry -> entry.getName().startsWith("org/springframework/batch/")),
                    "Spring Batch is not unpacked");
        }
    }

    @Test
    void bootsRunnerLaunchedItsJobAtStartUp() {
        assertEquals(1, truth("runner launch importJob"), truth.toString());
        assertEquals(1, truth.keySet().stream().filter(key -> key.startsWith("runner launch ")).count(), truth.toString());
    }

    @Test
    void launchesPerJobEqualWhatTheApplicationLaunchedAndARefusedOneIsAFailure() {
        for (String job : JOBS) {
            assertTrue(truth("launch " + job + " ok") > 0, truth.toString());
            // Every launch that was not refused made one job execution in the job repository.
            assertEquals(truth("job executions " + job), truth("launch " + job + " ok"), truth.toString());
            scrape.assertCount(truth("launch " + job + " ok"), "workflow_start_time_seconds_count",
                    Map.of("workflow_type", job, "status", "SUCCESS"));
        }
        long refused = truth("launch importJob refused JobInstanceAlreadyCompleteException");
        assertEquals(1, refused, truth.toString());
        scrape.assertCount(refused, "workflow_start_time_seconds_count", Map.of("workflow_type", "importJob", "status", "FAILURE"));
        scrape.assertCount(refused, "workflow_start_error_total",
                Map.of("workflow_type", "importJob", "exception", "JobInstanceAlreadyCompleteException"));
        scrape.assertCount(refused, "workflow_start_error_total", Map.of());
    }

    @Test
    void jobEndsByStatusEqualTheJobRepositorysRecords() {
        assertTrue(truth("job importJob FAILED") > 0 && truth("job cleanupJob STOPPED") > 0, truth.toString());
        for (String job : JOBS) {
            long failed = truth.getOrDefault("job " + job + " FAILED", 0L) + truth.getOrDefault("job " + job + " STOPPED", 0L)
                    + truth.getOrDefault("job " + job + " ABANDONED", 0L) + truth.getOrDefault("job " + job + " UNKNOWN", 0L);
            assertEquals(truth("job executions " + job), truth("job " + job + " COMPLETED") + failed, truth.toString());
            scrape.assertCount(truth("job " + job + " COMPLETED"), "workflow_duration_seconds_count",
                    Map.of("workflow_type", job, "status", "SUCCESS"));
            scrape.assertCount(failed, "workflow_duration_seconds_count", Map.of("workflow_type", job, "status", "FAILURE"));
            scrape.assertCount(0, "workflow_active", Map.of("workflow_type", job));
        }
        scrape.assertCount(0, "flowmeter_workflows_unpaired_total", Map.of());
    }

    @Test
    void stepExecutionsByStepAndOutcomeEqualTheJobRepositorysRecords() {
        assertTrue(truth("step publish FAILURE") > 0 && truth("step cleanup FAILURE") > 0, truth.toString());
        // Each partition's worker ran on the manager's thread, and counts as its own step execution.
        assertEquals((long) BatchApp.PARTITIONS * truth("step reindex SUCCESS"), truth("step reindexWorker SUCCESS"), truth.toString());
        for (String step : STEPS) {
            for (String status : List.of("SUCCESS", "FAILURE")) {
                scrape.assertCount(truth.getOrDefault("step " + step + " " + status, 0L), "task_execute_time_seconds_count",
                        Map.of("task_type", step, "status", status));
            }
            scrape.assertCount(0, "task_active", Map.of("task_type", step));
        }
        scrape.assertCount(truth("step publish FAILURE"), "task_execute_error_total",
                Map.of("task_type", "publish", "exception", "UnsupportedOperationException"));
        // A step told to stop is interrupted in its chunk loop, which Spring Batch's RepeatTemplate
        // throws wrapped in a RepeatException (AbstractStep unwraps it, around the measured work).
        assertEquals(truth("job cleanupJob STOPPED"), truth("step cleanup FAILURE"), truth.toString());
        scrape.assertCount(truth("step cleanup FAILURE"), "task_execute_error_total",
                Map.of("task_type", "cleanup", "exception", "RepeatException"));
        scrape.assertCount(truth("step publish FAILURE") + truth("step cleanup FAILURE"), "task_execute_error_total", Map.of());
    }

    @Test
    void skippedItemsEqualWhatTheStepsRecorded() {
        long all = 0;
        for (String step : List.of("import", "legacyImport")) {
            for (String kind : List.of("read", "process", "write")) {
                all += truth("skip " + step + " " + kind);
                scrape.assertCount(truth("skip " + step + " " + kind), "batch_item_skip_total", Map.of("step", step, "kind", kind));
            }
            assertTrue(truth("skip " + step + " read") > 0 && truth("skip " + step + " process") > 0, truth.toString());
        }
        scrape.assertCount(all, "batch_item_skip_total", Map.of());
    }

    @Test
    void theAgentWoveSpringBatch6InBootsClassLoaderWithoutErrors() {
        assertTrue(scrape.sum("flowmeter_instrumented_methods", Map.of("instrumentation", "spring-batch-6")) > 0, scrape.text());
        // Spring Batch 5's file is silent where 6 is: its first rule's type is not there.
        scrape.assertCount(0, "flowmeter_instrumented_methods", Map.of("instrumentation", "spring-batch"));
        app.assertRecordedWithoutErrors(scrape);
    }

    @Test
    void theScrapeIsLintClean() throws Exception {
        Promtool.assertLintClean(app.scrape());
    }

    private long truth(String key) {
        Long value = truth.get(key);
        if (value == null) {
            throw new AssertionError("the fixture printed no truth '" + key + "': " + truth);
        }
        return value;
    }
}
