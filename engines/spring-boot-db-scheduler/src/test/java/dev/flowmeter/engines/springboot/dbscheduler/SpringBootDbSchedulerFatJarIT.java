package dev.flowmeter.engines.springboot.dbscheduler;


import dev.flowmeter.testkit.BootJar;
import dev.flowmeter.testkit.DbSchedulerChecks;
import dev.flowmeter.testkit.FixtureRun;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * db-scheduler made by its Spring Boot starter, in a fat jar started with {@code java -jar}: Boot's
 * launcher loads db-scheduler from a nested jar in a class loader of its own, and the agent must
 * weave it there. Every count on /metrics must equal what the application's tasks and its listener
 * bean counted (see {@link SchedulerApp}), and pausing, resuming and stopping the scheduler (the last
 * by closing the application context) must show in its status.
 */
class SpringBootDbSchedulerFatJarIT extends DbSchedulerChecks {

    private static final Path BOOT_JAR = Path.of(System.getProperty("flowmeter.boot.jar"));

    @RegisterExtension
    static final FixtureRun run = FixtureRun.jar(BOOT_JAR).readyAt("^load done$", Duration.ofMinutes(5))
            // The scheduler is paused and quiet when the application prints its truth; polled all the same.
            .scrapedWhen((truth, scrape) -> scrape.sum("task_execute_time_seconds_count", Map.of())
                    >= truth.entrySet().stream().filter(e -> e.getKey().startsWith("execute ")).mapToLong(Map.Entry::getValue).sum()
                    && scrape.sum("task_poll_total", Map.of()) >= truth.getOrDefault("polls", 0L));

    @Override
    protected FixtureRun run() {
        return run;
    }

    @Test
    void theJarIsRepackagedWithNestedJars() throws Exception {
        BootJar.assertNested(BOOT_JAR, "com/github/kagkarlsson/", List.of("db-scheduler-16\\.", "db-scheduler-spring-boot-starter-", "h2-"));
    }

    /** The execution and poll totals hold every execution and poll, none under another task type. */
    @Test
    void theTotalsHoldEveryExecutionAndPoll() {
        run.scrape().assertCount(executions(), "task_execute_time_seconds_count", Map.of());
        run.scrape().assertCount(run.truth("polls"), "task_poll_total", Map.of());
    }
}
