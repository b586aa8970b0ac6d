package dev.flowmeter.agent.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flowmeter.agent.config.TimerKind;
import dev.flowmeter.agent.metrics.Metrics;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The warm-up runs every one of its rules, each to a recorded value, without an error of its own. */
class WarmupTest {

    @Test
    void everyRuleRecordsAndNoneFails() throws Exception {
        for (TimerKind timers : TimerKind.values()) {
            Metrics unserved = new Metrics(timers, metric -> 100, 10, Duration.ofMinutes(1), "test");
            ByteArrayOutputStream stderr = new ByteArrayOutputStream();
            PrintStream before = System.err;
            System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
            try {
                Warmup.run(unserved, new RunTime());
            } finally {
                System.setErr(before);
            }
            assertEquals("", stderr.toString(StandardCharsets.UTF_8), timers + ": the warm-up reported a problem");

            ByteArrayOutputStream text = new ByteArrayOutputStream();
            PrometheusTextFormatWriter.create().write(text, unserved.registry().scrape());
            String exposition = text.toString(StandardCharsets.UTF_8);
            for (String sample : new String[] {
                    "warm_up_time_seconds_count{argument=\"/warm-up\",code=\"200\",kind=\"plain\",status=\"SUCCESS\"}",
                    "warm_up_time_seconds_count{argument=\"/warm-up\",code=\"200\",kind=\"failing\",status=\"FAILURE\"}",
                    "warm_up_error_total{argument=\"/warm-up\",code=\"200\",exception=\"IOException\",kind=\"plain\"}",
                    "warm_up_async_error_total{exception=\"IOException\",kind=\"plain\"}",
                    // a future completed, and one completed only after the call returned it
                    "warm_up_async_time_seconds_count{kind=\"plain\",status=\"SUCCESS\"} 2",
                    "warm_up_counted_total{kind=\"plain\"}",
                    "warm_up_values_count{kind=\"plain\"}",
                    "task_update_time_seconds_count{status=\"SUCCESS\",task_type=\"plain\"}",
                    "workflow_duration_seconds_count{status=\"plain\",workflow_type=\"plain\"}",
                    "api_request_time_seconds_count{method=\"plain\",status=\"200\",uri=\"/warm-up\"}",
                    "workflow_engine_status{engine=\"plain\",workflow_engine_status=\"RUNNING\"} 1",
                    "warm_up_instances{kind=\"plain\"}"}) {
                assertTrue(exposition.contains(sample), timers + ": no " + sample + " in\n" + exposition);
            }
            assertFalse(Pattern.compile("flowmeter_advice_errors_total\\{.*\\} [1-9]").matcher(exposition).find(),
                    timers + ": advice errors in the warm-up:\n" + exposition);
        }
    }
}
