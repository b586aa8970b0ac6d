package dev.flowmeter.engines.springbatch6;

import dev.flowmeter.engines.springbatch6.fixtures.SpringBatch6App;
import dev.flowmeter.testkit.FixtureRun;
import dev.flowmeter.testkit.SpringBatchChecks;
import java.time.Duration;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Real Spring Batch 6 jobs with a JDBC job repository on H2 in memory, in a JVM with the agent (see
 * {@link SpringBatch6App}); every count on /metrics must equal what the fixture and the job
 * repository recorded.
 */
class SpringBatch6EndToEndTest extends SpringBatchChecks {

    private static final Duration LOAD_TIMEOUT = Duration.ofMinutes(5);

    // The same lines in each SpringBatchChecks subclass, on purpose: a static field of the base class would be one
    // fixture JVM for all, so each registers its own FixtureRun and hands it and its version over by these overrides.
    @RegisterExtension
    static final FixtureRun run = FixtureRun.fixture(SpringBatch6App.class).readyAt("^done$", LOAD_TIMEOUT);

    @Override
    protected FixtureRun run() {
        return run;
    }

    @Override
    protected Version version() {
        return Version.SPRING_BATCH_6;
    }
}
