package dev.flowmeter.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flowmeter.testkit.InstrumentedJvm;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * test-app with the agent, after a fixed load: once it says all workflows finished, its workers have
 * stopped, so its stats and the agent's counts no longer move and can be compared.
 */
record TestAppRun(InstrumentedJvm jvm, String apiUrl, JsonNode stats) implements AutoCloseable {

    private static final Pattern API_URL = Pattern.compile("Conductor API at (http://\\S+/api)");

    static TestAppRun finish(String agentArguments, int workflows, String... appArguments) throws Exception {
        return finish(List.of(), agentArguments, workflows, appArguments);
    }

    /** The same with options of the java command's own, such as a log of the classes loaded. */
    static TestAppRun finish(List<String> javaOptions, String agentArguments, int workflows, String... appArguments)
            throws Exception {
        List<String> arguments = new ArrayList<>(List.of("--workflows", String.valueOf(workflows), "--api-port", "0"));
        arguments.addAll(List.of(appArguments));
        InstrumentedJvm jvm = InstrumentedJvm.testApp(javaOptions, agentArguments, arguments.toArray(new String[0]));
        try {
            Matcher api = API_URL.matcher(jvm.awaitStdout(API_URL, InstrumentedJvm.START_TIMEOUT));
            assertTrue(api.find());
            jvm.awaitStdout(Pattern.compile("all " + workflows + " workflows finished"), Duration.ofMinutes(3));
            TestAppRun run = new TestAppRun(jvm, api.group(1), null);
            JsonNode stats = run.currentStats();
            assertTrue(stats.get("all_finished").asBoolean(), stats.toPrettyString());
            return new TestAppRun(jvm, api.group(1), stats);
        } catch (Exception | Error e) {
            jvm.close();
            throw e;
        }
    }

    /** What the application counts now; {@link #stats} is what it counted when the load had finished. */
    JsonNode currentStats() throws Exception {
        return new ObjectMapper().readTree(InstrumentedJvm.get(apiUrl + "/stats"));
    }

    @Override
    public void close() throws InterruptedException {
        jvm.close();
    }
}
