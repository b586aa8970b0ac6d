package dev.flowmeter.engines.httpclients;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.flowmeter.engines.httpclients.fixtures.ConductorOverOkHttpApp;
import dev.flowmeter.testkit.FixtureRun;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * conductor-client sends its requests with OkHttp: each is measured once, by the conductor
 * instrumentation under conductor-client's path template, and not again by the okhttp one under the
 * raw path (which would be /api/workflow/{id}).
 */
class ConductorOverOkHttpTest {

    @RegisterExtension
    static final FixtureRun run = FixtureRun.fixture(ConductorOverOkHttpApp.class).readyAt("^done$", Truth.TIMEOUT);

    @Test
    void eachConductorRequestIsCountedOnceUnderConductorsTemplate() {
        assertEquals(Set.of("200", "404", "error"), Truth.statuses(run, uri -> true), "the workload covers every outcome");
        // Every api_request series, whatever its uri: an OkHttp series would make the totals differ.
        Truth.assertCountedOnce(run, uri -> true);
    }

    @Test
    void theAgentRecordedWithoutErrors() {
        run.app().assertRecordedWithoutErrors(run.scrape());
    }
}
