package dev.flowmeter.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flowmeter.e2e.fixtures.OwnPrometheusApp;
import dev.flowmeter.e2e.fixtures.ThrowingWorkerApp;
import dev.flowmeter.testkit.InstrumentedJvm;
import dev.flowmeter.testkit.Scrape;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The agent next to what the application brings: its exceptions and its own libraries stay its own. */
class AgentIsolationTest {

    @Test
    void anExceptionThrownByAnInstrumentedMethodReachesTheCallerAsTheSameInstance() throws Exception {
        try (InstrumentedJvm jvm = InstrumentedJvm.fixture("port=0", ThrowingWorkerApp.class)) {
            String line = jvm.awaitStdout(Pattern.compile("same exception instance"), Duration.ofSeconds(60));
            assertEquals("same exception instance: 3 of 3", line);

            // ...and the method was instrumented, so the advice really was in the exception's way.
            Scrape scrape = jvm.scrape();
            assertEquals(3, scrape.sum("task_execute_error_total",
                    Map.of("task_type", "failing_task", "exception", "IllegalStateException")));
            assertEquals(3, scrape.sum("task_execute_time_seconds_count",
                    Map.of("task_type", "failing_task", "status", "FAILURE")));
        }
    }

    // Shaped like the test above on purpose: each starts its own fixture and checks the line it prints and the
    // agent's series of its own task; they share only InstrumentedJvm's calls.
    @Test
    void anApplicationWithItsOwnPrometheusClientAndByteBuddyWorksUnchanged() throws Exception {
        try (InstrumentedJvm jvm = InstrumentedJvm.fixture("port=0", OwnPrometheusApp.class)) {
            String line = jvm.awaitStdout(Pattern.compile("own registry"), Duration.ofSeconds(60));
            assertEquals("own registry: [task_poll] task_poll_total=5.0 generated=app.Generated", line);

            Scrape agent = jvm.scrape();
            assertEquals(1, agent.sum("flowmeter_info", Map.of()));
            assertEquals(1, agent.sum("task_execute_time_seconds_count", Map.of("task_type", "app_task", "status", "SUCCESS")));
            assertTrue(agent.matching(s -> s.labels().containsValue("app_own")).isEmpty(),
                    "the application's series must not appear on the agent's endpoint");
        }
    }
}
