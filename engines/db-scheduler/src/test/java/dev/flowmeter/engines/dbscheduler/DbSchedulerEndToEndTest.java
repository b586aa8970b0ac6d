package dev.flowmeter.engines.dbscheduler;

import dev.flowmeter.engines.dbscheduler.fixtures.DbSchedulerApp;
import dev.flowmeter.testkit.DbSchedulerChecks;
import dev.flowmeter.testkit.FixtureRun;
import java.time.Duration;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A real db-scheduler on H2 in memory, in a JVM with the agent, runs a fixed load with failures and a
 * dead execution (see {@link DbSchedulerApp}); every count on /metrics must equal what the tasks and
 * the scheduler's own listener counted, and pausing, resuming and stopping the scheduler must show in
 * its status.
 */
class DbSchedulerEndToEndTest extends DbSchedulerChecks {

    @RegisterExtension
    static final FixtureRun run = FixtureRun.fixture(DbSchedulerApp.class).readyAt("^done$", Duration.ofMinutes(5));

    @Override
    protected FixtureRun run() {
        return run;
    }
}
