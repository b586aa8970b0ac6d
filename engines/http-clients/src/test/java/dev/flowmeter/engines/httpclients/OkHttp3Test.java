package dev.flowmeter.engines.httpclients;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flowmeter.engines.httpclients.fixtures.HttpClientsApp;
import dev.flowmeter.testkit.InstrumentedJvm;
import dev.flowmeter.testkit.Scrape;
import java.io.File;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * OkHttp 3 (its last release, 3.14.9, with okio 1), on a class path of its own: the fixture's
 * classes and OkHttp 3, without the OkHttp 4 of the other tests.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OkHttp3Test {

    private InstrumentedJvm app;
    private Truth truth;
    private Scrape scrape;

    @BeforeAll
    void sendWithOkHttp3() throws Exception {
        String classPath = fixtureClasses() + File.pathSeparator + System.getProperty("okhttp3.classpath");
        app = InstrumentedJvm.fixture("port=0", List.of("-cp", classPath), HttpClientsApp.class, "okhttp", "okhttp-async");
        truth = Truth.of(app);
        scrape = app.scrape();
    }

    private static String fixtureClasses() throws URISyntaxException {
        return Path.of(HttpClientsApp.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }

    @AfterAll
    void stop() throws InterruptedException {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void theFixtureRanOkHttp3() {
        assertTrue(app.stdout().stream().anyMatch(line -> line.startsWith("library okhttp ") && line.endsWith("/okhttp-3.14.9.jar")), app.describe());
    }

    @ParameterizedTest
    @ValueSource(strings = {"okhttp", "okhttp-async"})
    void eachRequestIsCountedOnceByMethodUriTemplateAndStatus(String client) {
        Predicate<String> uris = uri -> uri.startsWith("/" + client + "/");
        assertEquals(Set.of("200", "404", "500", "error"), truth.statuses(uris), "the workload covers every outcome");
        truth.assertCountedOnce(scrape, uris);
    }

    @Test
    void theAgentRecordedWithoutErrors() {
        app.assertRecordedWithoutErrors(scrape);
    }
}
