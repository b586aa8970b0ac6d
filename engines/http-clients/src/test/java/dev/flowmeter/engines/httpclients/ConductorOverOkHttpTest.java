package dev.flowmeter.engines.httpclients;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.flowmeter.engines.httpclients.fixtures.ConductorOverOkHttpApp;
import dev.flowmeter.testkit.InstrumentedJvm;
import dev.flowmeter.testkit.Scrape;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * conductor-client sends its requests with OkHttp: each is measured once, by the conductor
 * instrumentation under conductor-client's path template, and not again by the okhttp one under the
 * raw path (which would be /api/workflow/{id}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConductorOverOkHttpTest {

    private InstrumentedJvm app;
    private Truth truth;
    private Scrape scrape;

    @BeforeAll
    void callConductor() throws Exception {
        app = InstrumentedJvm.fixture("port=0", ConductorOverOkHttpApp.class);
        truth = Truth.of(app);
        scrape = app.scrape();
    }

    @AfterAll
    void stop() throws InterruptedException {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void eachConductorRequestIsCountedOnceUnderConductorsTemplate() {
        assertEquals(Set.of("200", "404", "error"), truth.statuses(uri -> true), "the workload covers every outcome");
        // Every api_request series, whatever its uri: an OkHttp series would make the totals differ.
        truth.assertCountedOnce(scrape, uri -> true);
    }

    @Test
    void theAgentRecordedWithoutErrors() {
        app.assertRecordedWithoutErrors(scrape);
    }
}
