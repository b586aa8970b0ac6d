package dev.flowmeter.engines.springboot.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.flowmeter.testkit.BootJar;
import dev.flowmeter.testkit.FixtureRun;
import dev.flowmeter.testkit.SpringBatchChecks;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Spring Batch 6 configured by Spring Boot 4's batch auto-configuration, in a fat jar started with
 * {@code java -jar}: Boot's launcher loads Spring Batch from nested jars in a class loader of its
 * own, and the agent must weave it there. Every count on /metrics must equal what the application
 * and its job repository recorded (see {@link BatchApp}), the launch by Boot's runner among them.
 */
class SpringBootBatchFatJarIT extends SpringBatchChecks {

    private static final Path BOOT_JAR = Path.of(System.getProperty("flowmeter.boot.jar"));
    private static final Duration LOAD_TIMEOUT = Duration.ofMinutes(5);

    @RegisterExtension
    static final FixtureRun run = FixtureRun.jar(BOOT_JAR).readyAt("^load done$", LOAD_TIMEOUT)
            // Each launch is recorded on the launching thread before the launch returns; polled all the same.
            .scrapedWhen((truth, scrape) -> scrape.sum("workflow_duration_seconds_count", Map.of())
                    >= JOBS.stream().mapToLong(job -> truth.getOrDefault("launch " + job + " ok", 0L)).sum());

    @Override
    protected FixtureRun run() {
        return run;
    }

    @Override
    protected Version version() {
        return Version.SPRING_BATCH_6;
    }

    /** Boot's runner launched a job too: the job repository's own count of executions. */
    @Override
    protected long executions(String job) {
        return run.truth("job executions " + job);
    }

    @Override
    protected long partitions() {
        return BatchApp.PARTITIONS;
    }

    @Test
    void theJarIsRepackagedWithNestedJars() throws Exception {
        BootJar.assertNested(BOOT_JAR, "org/springframework/batch/", List.of("spring-batch-core-6\\.", "spring-boot-batch-jdbc-", "h2-"));
    }

    @Test
    void bootsRunnerLaunchedItsJobAtStartUp() {
        assertEquals(1, run.truth("runner launch importJob"), run.truth().toString());
        assertEquals(1, run.truth().keySet().stream().filter(key -> key.startsWith("runner launch ")).count(), run.truth().toString());
    }

    /** Every launch that was not refused made one job execution in the job repository. */
    @Test
    void everyLaunchMadeOneJobExecution() {
        for (String job : JOBS) {
            assertEquals(run.truth("job executions " + job), run.truth("launch " + job + " ok"), run.truth().toString());
        }
    }

    /** Spring Batch 5's file is silent where 6 is: its first rule's type is not there. */
    @Test
    void springBatch5sInstrumentationIsSilent() {
        run.scrape().assertCount(0, "flowmeter_instrumented_methods", Map.of("instrumentation", "spring-batch"));
    }
}
