package dev.flowmeter.engines.httpclients;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flowmeter.engines.httpclients.fixtures.HttpClientsApp;
import dev.flowmeter.testkit.FixtureRun;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Each HTTP client instrumentation is switched off by its name, and the others measure on. */
class DisableTest {

    @RegisterExtension
    static final FixtureRun run = FixtureRun.fixture("port=0,disable=okhttp,httpurlconnection", HttpClientsApp.class, "okhttp", "urlconnection", "jdk")
            .readyAt("^done$", Truth.TIMEOUT);

    @Test
    void disabledClientsRecordNothingAndTheOthersRecordAll() {
        for (String disabled : new String[] {"/okhttp/", "/urlconnection/"}) {
            assertTrue(run.scrape().matching(sample -> sample.name().equals(Truth.REQUESTS)
                    && sample.labels().get("uri").startsWith(disabled)).isEmpty(), run.scrape().text());
        }
        Truth.assertCountedOnce(run, uri -> uri.startsWith("/jdk/"));
    }

    @Test
    void theStartUpLineNamesOnlyTheEnabledInstrumentations() throws InterruptedException {
        String line = run.app().awaitStderr(Pattern.compile("serving metrics at"), Truth.TIMEOUT);
        List<String> names = List.of(line.substring(line.indexOf("instrumentations: ") + "instrumentations: ".length())
                .split(", "));
        assertTrue(names.containsAll(List.of("jdk-httpclient", "apache-httpclient5")), line);
        assertFalse(names.contains("okhttp") || names.contains("httpurlconnection"), line);
    }

    @Test
    void theAgentRecordedWithoutErrors() {
        run.app().assertRecordedWithoutErrors(run.scrape());
    }
}
