package dev.flowmeter.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flowmeter.testkit.InstrumentedJvm;
import dev.flowmeter.testkit.Scrape;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * histograms=both against Debian's Prometheus with native histograms enabled: it scrapes protobuf
 * and stores the timers as native histograms, whose count equals what test-app's workers counted and
 * whose 95th percentile PromQL answers without any bucket layout; a text scrape still has the classic
 * buckets.
 */
class NativeHistogramTest {

    // This frame (constants, a temporary folder, a Prometheus started with its flags) is ExemplarTest's on purpose:
    // each starts its own Prometheus and test-app with other options, and queries other series.
    private static final int WORKFLOWS = 120;
    private static final Pattern API_URL = Pattern.compile("Conductor API at (http://\\S+/api)");
    private static final String QUANTILE = "histogram_quantile(0.95, sum(rate(task_execute_time_seconds[1m])))";

    @TempDir
    Path folder;

    @Test
    void prometheusStoresNativeHistogramsAndAnswersQuantilesFromThem() throws Exception {
        try (PrometheusServer prometheus = PrometheusServer.start(folder, "--enable-feature=native-histograms");
                InstrumentedJvm app = InstrumentedJvm.testApp("port=0,histograms=both", "--workflows",
                        String.valueOf(WORKFLOWS), "--api-port", "0", "--fail-rate", "0.3", "--seed", "5")) {
            Matcher api = API_URL.matcher(app.awaitStdout(API_URL, InstrumentedJvm.START_TIMEOUT));
            assertTrue(api.find());
            // The load waits in the engine's queues until Prometheus scrapes, so that it sees it happen.
            InstrumentedJvm.post(api.group(1) + "/engine/pause", "");
            prometheus.scrape(app.metricsUrl());
            InstrumentedJvm.post(api.group(1) + "/engine/resume", "");
            app.awaitStdout(Pattern.compile("all " + WORKFLOWS + " workflows finished"), Duration.ofMinutes(3));

            long executions = 0;
            for (JsonNode counted : new ObjectMapper().readTree(InstrumentedJvm.get(api.group(1) + "/stats"))
                    .at("/tasks/executions")) {
                executions += counted.get("success").asLong() + counted.get("failed_result").asLong();
                for (JsonNode thrown : counted.get("exceptions")) {
                    executions += thrown.asLong();
                }
            }
            long expected = executions;
            JsonNode count = prometheus.awaitQuery("sum(histogram_count(task_execute_time_seconds))",
                    result -> result.size() == 1 && value(result) == expected);
            assertEquals(expected, value(count), "executions in the native histograms");

            JsonNode quantile = prometheus.awaitQuery(QUANTILE, result -> result.size() == 1 && Double.isFinite(value(result)));
            double p95 = value(quantile);
            // Executions take 0 to 15 ms (render_report and ship_order sleep 5 to 15 ms).
            assertTrue(p95 > 0.001 && p95 < 0.1, QUANTILE + " = " + p95);

            assertTrue(prometheus.query("task_execute_time_seconds_bucket").isEmpty(),
                    "with native histograms in the scrape, Prometheus 2.42 stores those alone");
            Scrape text = app.scrape();
            assertFalse(text.matching(sample -> sample.name().equals("task_execute_time_seconds_bucket")).isEmpty(),
                    "a text scrape keeps the classic buckets");
            app.assertRecordedWithoutErrors(text);
        }
    }

    private static double value(JsonNode result) {
        return Double.parseDouble(result.get(0).at("/value/1").asText());
    }
}
