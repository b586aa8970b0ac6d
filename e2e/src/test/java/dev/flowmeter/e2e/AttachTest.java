package dev.flowmeter.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flowmeter.testkit.InstrumentedJvm;
import dev.flowmeter.testkit.Scrape;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The agent attached to a test-app that is already running a load: every count recorded after the
 * attach equals the increase of what the app counted itself between two quiescent moments.
 */
class AttachTest {

    private static final Pattern API_URL = Pattern.compile("Conductor API at (http://\\S+/api)");
    private static final Pattern SERVING = Pattern.compile("serving metrics at (http://\\S+/metrics)");
    private static final Duration TIMEOUT = Duration.ofSeconds(90);

    @Test
    void countsAfterTheAttachAreExactAndASecondAttachChangesNothing() throws Exception {
        try (InstrumentedJvm app = InstrumentedJvm.uninstrumentedTestApp("--api-port", "0", "--fail-rate", "0.3")) {
            Matcher api = API_URL.matcher(app.awaitStdout(API_URL, InstrumentedJvm.START_TIMEOUT));
            assertTrue(api.find());
            String apiUrl = api.group(1);
            awaitStats(apiUrl, stats -> executions(stats) > 20); // the load is running

            String metricsUrl = attach(app.pid(), "port=0");
            try (InstrumentedJvm again = InstrumentedJvm.agentCommand("attach", String.valueOf(app.pid()), "port=0")) {
                assertEquals(0, again.waitForExit(TIMEOUT));
                assertTrue(String.join("\n", again.stdout()).contains("already attached to " + app.pid()
                        + ", serving metrics at " + metricsUrl + "; nothing changed"), again.describe());
            }

            JsonNode before = quiescent(apiUrl);
            Scrape scrapedBefore = Scrape.parse(InstrumentedJvm.get(metricsUrl));
            InstrumentedJvm.post(apiUrl + "/engine/resume", "");
            long resumedAt = executions(before);
            awaitStats(apiUrl, stats -> executions(stats) >= resumedAt + 60);
            JsonNode after = quiescent(apiUrl);
            Scrape scrapedAfter = Scrape.parse(InstrumentedJvm.get(metricsUrl));

            long compared = 0;
            for (Iterator<String> types = after.at("/tasks/executions").fieldNames(); types.hasNext(); ) {
                String type = types.next();
                long succeeded = increase(before, after, "/tasks/executions/" + type + "/success");
                long failed = increase(before, after, "/tasks/executions/" + type + "/failed_result")
                        + thrown(after, type) - thrown(before, type);
                assertEquals(succeeded, increase(scrapedBefore, scrapedAfter, type, "SUCCESS"), type + " SUCCESS");
                assertEquals(failed, increase(scrapedBefore, scrapedAfter, type, "FAILURE"), type + " FAILURE");
                compared += succeeded + failed;
            }
            assertTrue(compared >= 60, "compared " + compared + " executions");
            assertEquals(0, scrapedAfter.sum("flowmeter_advice_errors_total", Map.of()), scrapedAfter.text());
        }
    }

    private static String attach(long pid, String arguments) throws Exception {
        try (InstrumentedJvm attach = InstrumentedJvm.agentCommand("attach", String.valueOf(pid), arguments)) {
            assertEquals(0, attach.waitForExit(TIMEOUT), attach.describe());
            Matcher serving = SERVING.matcher(String.join("\n", attach.stdout()));
            assertTrue(serving.find(), attach.describe());
            return serving.group(1);
        }
    }

    /** Pauses the engine and waits until every task handed out has reported back: no count moves then. */
    private static JsonNode quiescent(String apiUrl) throws Exception {
        InstrumentedJvm.post(apiUrl + "/engine/pause", "");
        return awaitStats(apiUrl, stats -> stats.get("engine").asText().equals("PAUSED")
                && stats.get("tasks_in_progress").asLong() == 0);
    }

    private static JsonNode awaitStats(String apiUrl, Predicate<JsonNode> condition) throws Exception {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        JsonNode stats = new ObjectMapper().readTree(InstrumentedJvm.get(apiUrl + "/stats"));
        while (!condition.test(stats)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("test-app's stats did not get there within " + TIMEOUT + ": " + stats);
            }
            Thread.sleep(50);
            stats = new ObjectMapper().readTree(InstrumentedJvm.get(apiUrl + "/stats"));
        }
        return stats;
    }

    private static long executions(JsonNode stats) {
        long total = 0;
        for (JsonNode execution : stats.at("/tasks/executions")) {
            total += execution.get("success").asLong() + execution.get("failed_result").asLong();
            for (JsonNode thrown : execution.get("exceptions")) {
                total += thrown.asLong();
            }
        }
        return total;
    }

    private static long thrown(JsonNode stats, String type) {
        long total = 0;
        for (JsonNode count : stats.at("/tasks/executions/" + type + "/exceptions")) {
            total += count.asLong();
        }
        return total;
    }

    private static long increase(JsonNode before, JsonNode after, String pointer) {
        return after.at(pointer).asLong() - before.at(pointer).asLong();
    }

    private static long increase(Scrape before, Scrape after, String type, String status) {
        Map<String, String> labels = Map.of("task_type", type, "status", status);
        return (long) (after.sum("task_execute_time_seconds_count", labels) - before.sum("task_execute_time_seconds_count", labels));
    }
}
