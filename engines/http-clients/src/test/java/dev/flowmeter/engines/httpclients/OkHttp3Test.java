package dev.flowmeter.engines.httpclients;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flowmeter.engines.httpclients.fixtures.HttpClientsApp;
import dev.flowmeter.testkit.FixtureRun;
import dev.flowmeter.testkit.InstrumentedJvm;
import java.io.File;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * OkHttp 3 (its last release, 3.14.9, with okio 1), on a class path of its own: the fixture's
 * classes and OkHttp 3, without the OkHttp 4 of the other tests.
 */
class OkHttp3Test {

    @RegisterExtension
    static final FixtureRun run = FixtureRun.of(() -> InstrumentedJvm.fixture("port=0",
            List.of("-cp", fixtureClasses() + File.pathSeparator + System.getProperty("okhttp3.classpath")), HttpClientsApp.class,
            "okhttp", "okhttp-async")).readyAt("^done$", Truth.TIMEOUT);

    private static String fixtureClasses() throws URISyntaxException {
        return Path.of(HttpClientsApp.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }

    @Test
    void theFixtureRanOkHttp3() {
        assertTrue(run.app().stdout().stream().anyMatch(line -> line.startsWith("library okhttp ") && line.endsWith("/okhttp-3.14.9.jar")), run.app().describe());
    }

    @ParameterizedTest
    @ValueSource(strings = {"okhttp", "okhttp-async"})
    void eachRequestIsCountedOnceByMethodUriTemplateAndStatus(String client) {
        Truth.assertEachRequestOfCountedOnce(run, client);
    }

    @Test
    void theAgentRecordedWithoutErrors() {
        run.app().assertRecordedWithoutErrors(run.scrape());
    }
}
