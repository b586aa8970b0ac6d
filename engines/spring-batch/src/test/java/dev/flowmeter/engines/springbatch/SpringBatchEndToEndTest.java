package dev.flowmeter.engines.springbatch;

import dev.flowmeter.engines.springbatch.fixtures.SpringBatchApp;
import dev.flowmeter.testkit.FixtureRun;
import dev.flowmeter.testkit.SpringBatchChecks;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Real Spring Batch jobs with a JDBC job repository on H2 in memory, in a JVM with the agent (see
 * {@link SpringBatchApp}); every count on /metrics must equal what the fixture and the job
 * repository recorded.
 */
class SpringBatchEndToEndTest extends SpringBatchChecks {

    private static final Duration LOAD_TIMEOUT = Duration.ofMinutes(5);

    // The same lines in each SpringBatchChecks subclass, on purpose: a static field of the base class would be one
    // fixture JVM for all, so each registers its own FixtureRun and hands it and its version over by these overrides.
    @RegisterExtension
    static final FixtureRun run = FixtureRun.fixture(SpringBatchApp.class).readyAt("^done$", LOAD_TIMEOUT);

    @Override
    protected FixtureRun run() {
        return run;
    }

    @Override
    protected Version version() {
        return Version.SPRING_BATCH_5;
    }

    /** Spring Batch 5's fixture skips items in reading and processing only. */
    @Test
    void skippedItemsAreReadAndProcessSkips() {
        run.scrape().assertCount(run.truth("skip import read") + run.truth("skip import process"), "batch_item_skip_total", Map.of());
    }
}
