package dev.flowmeter.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flowmeter.testkit.InstrumentedJvm;
import dev.flowmeter.testkit.Promtool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shape of a real deployment: one test-app server and three worker JVMs, each with its own
 * agent, scraped by a real Prometheus. Counts summed across the fleet equal the server's ground
 * truth, histograms aggregate across workers, and every query of the dashboard returns data.
 */
class FleetTest {

    private static final int WORKFLOWS = 300;
    private static final int WORKERS = 3;
    private static final Pattern API_URL = Pattern.compile("Conductor API at (http://\\S+/api)");

    @TempDir
    Path folder;

    @Test
    void aPrometheusScrapingTheFleetSeesExactlyWhatTheServerCounted() throws Exception {
        List<InstrumentedJvm> jvms = new ArrayList<>();
        try (PrometheusServer prometheus = PrometheusServer.start(folder)) {
            InstrumentedJvm server = InstrumentedJvm.testApp("port=0,config=" + TestAppRulesTest.RULES,
                    "--mode", "server", "--workflows", String.valueOf(WORKFLOWS), "--api-port", "0", "--fail-rate", "0.3");
            jvms.add(server);
            Matcher api = API_URL.matcher(server.awaitStdout(API_URL, InstrumentedJvm.START_TIMEOUT));
            assertTrue(api.find());
            prometheus.scrape(server.metricsUrl());
            // The load waits in the engine's queues until every worker is there to share it.
            InstrumentedJvm.post(api.group(1) + "/engine/pause", "");
            for (int i = 0; i < WORKERS; i++) {
                InstrumentedJvm worker = InstrumentedJvm.testApp("port=0", "--mode", "workers", "--server", api.group(1),
                        "--fail-rate", "0.3");
                jvms.add(worker);
                prometheus.scrape(worker.metricsUrl());
            }
            InstrumentedJvm.post(api.group(1) + "/engine/resume", "");
            server.awaitStdout(Pattern.compile("all " + WORKFLOWS + " workflows finished"), Duration.ofMinutes(3));
            JsonNode finished = new ObjectMapper().readTree(InstrumentedJvm.get(api.group(1) + "/stats"))
                    .at("/tasks/finished");

            TreeMap<String, Long> truth = new TreeMap<>();
            finished.fields().forEachRemaining(entry -> truth.put(entry.getKey(), entry.getValue().asLong()));
            JsonNode sums = prometheus.awaitQuery("sum by (task_type) (task_execute_time_seconds_count)",
                    result -> truth.equals(byTaskType(result)));
            assertEquals(truth, byTaskType(sums));
            assertEquals(WORKERS, prometheus.query("count(count by (instance) (task_execute_time_seconds_count))")
                    .get(0).at("/value/1").asInt(), "every worker executed tasks");

            JsonNode p95 = prometheus.query(
                    "histogram_quantile(0.95, sum by (le, task_type) (rate(task_execute_time_seconds_bucket[1m])))");
            assertEquals(truth.keySet(), byTaskType(p95).keySet());
            for (JsonNode series : p95) {
                double seconds = Double.parseDouble(series.at("/value/1").asText());
                assertTrue(seconds >= 0 && seconds < 10, series.toString());
            }

            List<String> empty = new ArrayList<>();
            for (Dashboard.Target target : Dashboard.targets(new ObjectMapper().readTree(
                    Files.readString(Promtool.PROJECT_ROOT.resolve(Dashboard.PATH))))) {
                if (prometheus.query(Dashboard.promql(target.expr())).isEmpty()) {
                    empty.add(target.origin() + ": " + target.expr());
                }
            }
            assertTrue(empty.isEmpty(), "dashboard queries without data:\n" + String.join("\n", empty));
        } finally {
            for (InstrumentedJvm jvm : jvms) {
                jvm.close();
            }
        }
    }

    private static TreeMap<String, Long> byTaskType(JsonNode result) {
        TreeMap<String, Long> values = new TreeMap<>();
        for (Iterator<JsonNode> it = result.elements(); it.hasNext(); ) {
            JsonNode series = it.next();
            values.put(series.at("/metric/task_type").asText(), (long) Double.parseDouble(series.at("/value/1").asText()));
        }
        return values;
    }
}
