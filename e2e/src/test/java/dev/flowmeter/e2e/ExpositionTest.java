package dev.flowmeter.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flowmeter.testkit.InstrumentedJvm;
import dev.flowmeter.testkit.Scrape;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the endpoint serves: formats by content negotiation, the health check, and timers as summaries. */
class ExpositionTest {

    @Test
    void timersAsSummariesHaveTheSdkQuantilesAndExactCounts() throws Exception {
        try (TestAppRun run = TestAppRun.finish("port=0,timers=summary", 40, "--fail-rate", "0.3")) {
            Scrape scrape = run.jvm().scrape();
            for (Iterator<String> types = run.stats().at("/tasks/executions").fieldNames(); types.hasNext(); ) {
                String taskType = types.next();
                long succeeded = run.stats().at("/tasks/executions/" + taskType + "/success").asLong();
                assertEquals(succeeded, (long) scrape.sum("task_execute_time_seconds_count",
                        Map.of("task_type", taskType, "status", "SUCCESS")), taskType);
                for (String quantile : new String[] {"0.5", "0.75", "0.9", "0.95", "0.99"}) {
                    double seconds = scrape.sum("task_execute_time_seconds",
                            Map.of("task_type", taskType, "status", "SUCCESS", "quantile", quantile));
                    assertTrue(seconds > 0 && seconds < 10, taskType + " p" + quantile + " = " + seconds);
                }
            }
            // The payload sizes are histograms of bytes whatever timers says; the timers are summaries.
            assertTrue(scrape.matching(sample -> sample.name().endsWith("_seconds_bucket")).isEmpty(), "no timer histograms");
            assertTrue(scrape.text().contains("# TYPE task_execute_time_seconds summary"));
        }
    }

    @Test
    void servesTextOpenMetricsProtobufAndHealth() throws Exception {
        try (TestAppRun run = TestAppRun.finish("port=0", 5)) {
            String metrics = run.jvm().metricsUrl();

            HttpResponse<byte[]> text = InstrumentedJvm.get(metrics, "text/plain");
            assertEquals(200, text.statusCode());
            assertTrue(contentType(text).startsWith("text/plain; version=0.0.4"), contentType(text));
            assertTrue(body(text).contains("# TYPE task_poll_total counter"));

            HttpResponse<byte[]> openMetrics = InstrumentedJvm.get(metrics, "application/openmetrics-text; version=1.0.0");
            assertTrue(contentType(openMetrics).startsWith("application/openmetrics-text"), contentType(openMetrics));
            assertTrue(body(openMetrics).endsWith("# EOF\n"));
            assertTrue(body(openMetrics).contains("# UNIT task_execute_time_seconds seconds"));

            HttpResponse<byte[]> protobuf = InstrumentedJvm.get(metrics,
                    "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited");
            assertTrue(contentType(protobuf).startsWith("application/vnd.google.protobuf"), contentType(protobuf));
            assertTrue(protobuf.body().length > 100);

            HttpResponse<byte[]> health = InstrumentedJvm.get(metrics.replace("/metrics", "/-/healthy"), "*/*");
            assertEquals(200, health.statusCode());
        }
    }

    private static String contentType(HttpResponse<byte[]> response) {
        return response.headers().firstValue("Content-Type").orElse("");
    }

    private static String body(HttpResponse<byte[]> response) {
        return new String(response.body(), StandardCharsets.UTF_8);
    }
}
