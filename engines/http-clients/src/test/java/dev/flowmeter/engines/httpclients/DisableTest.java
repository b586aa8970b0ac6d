package dev.flowmeter.engines.httpclients;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flowmeter.engines.httpclients.fixtures.HttpClientsApp;
import dev.flowmeter.testkit.InstrumentedJvm;
import dev.flowmeter.testkit.Scrape;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Each HTTP client instrumentation is switched off by its name, and the others measure on. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DisableTest {

    private InstrumentedJvm app;
    private Truth truth;
    private Scrape scrape;

    @BeforeAll
    void sendWithTwoClientsDisabled() throws Exception {
        app = InstrumentedJvm.fixture("port=0,disable=okhttp,httpurlconnection", HttpClientsApp.class,
                "okhttp", "urlconnection", "jdk");
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
    void disabledClientsRecordNothingAndTheOthersRecordAll() {
        for (String disabled : new String[] {"/okhttp/", "/urlconnection/"}) {
            assertTrue(scrape.matching(sample -> sample.name().equals(Truth.REQUESTS)
                    && sample.labels().get("uri").startsWith(disabled)).isEmpty(), scrape.text());
        }
        truth.assertCountedOnce(scrape, uri -> uri.startsWith("/jdk/"));
    }

    @Test
    void theStartUpLineNamesOnlyTheEnabledInstrumentations() throws InterruptedException {
        String line = app.awaitStderr(Pattern.compile("serving metrics at"), Truth.TIMEOUT);
        List<String> names = List.of(line.substring(line.indexOf("instrumentations: ") + "instrumentations: ".length())
                .split(", "));
        assertTrue(names.containsAll(List.of("jdk-httpclient", "apache-httpclient5")), line);
        assertFalse(names.contains("okhttp") || names.contains("httpurlconnection"), line);
    }

    @Test
    void theAgentRecordedWithoutErrors() {
        app.assertRecordedWithoutErrors(scrape);
    }
}
