package dev.flowmeter.engines.httpclients;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flowmeter.engines.httpclients.fixtures.HttpClientsApp;
import dev.flowmeter.testkit.InstrumentedJvm;
import dev.flowmeter.testkit.Promtool;
import dev.flowmeter.testkit.Scrape;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every client, in one instrumented JVM (on another JDK with -Dflowmeter.fixture.jdk=JDK_HOME):
 * GET, POST and DELETE to paths with numeric and UUID identifiers and a query string, answered 200,
 * 404 and 500, and refused by a closed port. Each client has a path prefix of its own, so its
 * requests are told apart in the scrape.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HttpClientsTest {

    private static final String[] CLIENTS = {"jdk", "jdk-async", "urlconnection", "okhttp", "okhttp-async", "apache"};

    private InstrumentedJvm app;
    private Truth truth;
    private Scrape scrape;

    @BeforeAll
    void sendWithEveryClient() throws Exception {
        app = InstrumentedJvm.fixture("port=0", HttpClientsApp.class, CLIENTS);
        truth = Truth.of(app);
        scrape = app.scrape();
        // Which JDK the fixture ran on, for the build log.
        System.out.println("HttpClientsTest fixture: " + app.awaitStdout(java.util.regex.Pattern.compile("^java "), Truth.TIMEOUT));
    }

    @AfterAll
    void stop() throws InterruptedException {
        if (app != null) {
            app.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"jdk", "jdk-async", "urlconnection", "okhttp", "okhttp-async", "apache"})
    void eachRequestIsCountedOnceByMethodUriTemplateAndStatus(String client) {
        Predicate<String> uris = uri -> uri.startsWith("/" + client + "/");
        assertEquals(Set.of("200", "404", "500", "error"), truth.statuses(uris), "the workload covers every outcome");
        truth.assertCountedOnce(scrape, uris);
    }

    @Test
    void urisAreTemplatesWithoutIdentifiersOrQueries() {
        for (Scrape.Sample sample : scrape.matching(sample -> sample.name().equals(Truth.REQUESTS))) {
            String uri = sample.labels().get("uri");
            assertTrue(uri.matches("(/[a-z-]+)+(/\\{id}(/[a-z]+)?)?"), uri);
        }
    }

    @Test
    void theAgentRecordedWithoutErrors() {
        app.assertRecordedWithoutErrors(scrape);
    }

    @Test
    void theScrapeIsLintClean() throws Exception {
        Promtool.assertLintClean(app.scrape());
    }
}
