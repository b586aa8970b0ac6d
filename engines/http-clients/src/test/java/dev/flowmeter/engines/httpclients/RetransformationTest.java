package dev.flowmeter.engines.httpclients;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flowmeter.engines.httpclients.fixtures.HttpClientsApp;
import dev.flowmeter.engines.httpclients.fixtures.PreloadingSystemClassLoader;
import dev.flowmeter.testkit.FixtureRun;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The JDK's HTTP client classes loaded before the agent installs its transformations (by a system
 * class loader that loads them as the JVM starts) are retransformed, and measure as they do when
 * they load later.
 */
class RetransformationTest {

    /** The class the agent installs its transformations with; whatever loaded before it was retransformed. */
    private static final String INSTALLER = "dev.flowmeter.agent.transform.Installer";

    @RegisterExtension
    static final FixtureRun run = FixtureRun.fixture("port=0", List.of("-Djava.system.class.loader=" + PreloadingSystemClassLoader.class.getName(),
            "-Xlog:class+load", "-cp", System.getProperty("java.class.path")), HttpClientsApp.class, "jdk", "jdk-async", "urlconnection")
            .readyAt("^done$", Truth.TIMEOUT);

    @Test
    void theClassesLoadedBeforeTheAgentInstalled() {
        int installer = loadedAt(INSTALLER);
        for (String preloaded : PreloadingSystemClassLoader.PRELOADED) {
            assertTrue(loadedAt(preloaded) < installer, preloaded + " loaded after " + INSTALLER);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"jdk", "jdk-async", "urlconnection"})
    void eachRequestIsCountedOnceByMethodUriTemplateAndStatus(String client) {
        Truth.assertEachRequestOfCountedOnce(run, client);
    }

    @Test
    void theAgentRecordedWithoutErrors() {
        run.app().assertRecordedWithoutErrors(run.scrape());
    }

    /** The line of -Xlog:class+load that reports the class loading. */
    private int loadedAt(String className) {
        List<String> lines = run.app().stdout();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains("[class,load] " + className + " source:")) {
                return i;
            }
        }
        throw new AssertionError(className + " never loaded");
    }
}
