package dev.flowmeter.engines.httpclients;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flowmeter.engines.httpclients.fixtures.HttpClientsApp;
import dev.flowmeter.testkit.FixtureRun;
import dev.flowmeter.testkit.Scrape;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every client, in one instrumented JVM (on another JDK with -Dflowmeter.fixture.jdk=JDK_HOME):
 * GET, POST and DELETE to paths with numeric and UUID identifiers and a query string, answered 200,
 * 404 and 500, and refused by a closed port. Each client has a path prefix of its own, so its
 * requests are told apart in the scrape.
 */
class HttpClientsTest {

    private static final String[] CLIENTS = {"jdk", "jdk-async", "urlconnection", "okhttp", "okhttp-async", "apache"};

    @RegisterExtension
    static final FixtureRun run = FixtureRun.fixture(HttpClientsApp.class, CLIENTS).readyAt("^done$", Truth.TIMEOUT);

    @BeforeAll
    static void printTheFixturesJdk() throws InterruptedException {
        // Which JDK the fixture ran on, for the build log.
        System.out.println("HttpClientsTest fixture: " + run.app().awaitStdout(java.util.regex.Pattern.compile("^java "), Truth.TIMEOUT));
    }

    @ParameterizedTest
    @ValueSource(strings = {"jdk", "jdk-async", "urlconnection", "okhttp", "okhttp-async", "apache"})
    void eachRequestIsCountedOnceByMethodUriTemplateAndStatus(String client) {
        Truth.assertEachRequestOfCountedOnce(run, client);
    }

    @Test
    void urisAreTemplatesWithoutIdentifiersOrQueries() {
        for (Scrape.Sample sample : run.scrape().matching(sample -> sample.name().equals(Truth.REQUESTS))) {
            String uri = sample.labels().get("uri");
            assertTrue(uri.matches("(/[a-z-]+)+(/\\{id}(/[a-z]+)?)?"), uri);
        }
    }

    @Test
    void theAgentRecordedWithoutErrors() {
        run.app().assertRecordedWithoutErrors(run.scrape());
    }

    @Test
    void theScrapeIsLintClean() throws Exception {
        run.assertLintClean();
    }
}
