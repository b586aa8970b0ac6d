package dev.flowmeter.e2e;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flowmeter.testkit.InstrumentedJvm;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The OpenTelemetry Java agent beside Flowmeter's in test-app, with a span around each task that
 * conductor-client's TaskRunner processes (its methods instrumentation) and its spans logged: the
 * timers' exemplars that Prometheus 2.42 stores carry trace ids of those spans, through client_java's
 * bridge to that agent, relocated in Flowmeter's jar.
 */
class ExemplarTest {

    private static final Path OTEL_AGENT = Path.of(System.getProperty("flowmeter.otel.jar",
            "target/opentelemetry-javaagent.jar"));
    /** A span as the logging exporter prints it: name, trace id, span id. */
    private static final Pattern SPAN = Pattern.compile("'TaskRunner\\.processTask' : ([0-9a-f]{32}) ([0-9a-f]{16})");
    private static final String TIMERS = "{__name__=~\"task_execute_time_seconds.*|task_update_time_seconds.*\"}";

    @TempDir
    Path folder;

    @Test
    void timersCarryTheTraceIdsOfTheSpansTheOpenTelemetryAgentCreated() throws Exception {
        try (PrometheusServer prometheus = PrometheusServer.start(folder,
                "--enable-feature=native-histograms,exemplar-storage");
                InstrumentedJvm app = InstrumentedJvm.testApp(List.of("-javaagent:" + OTEL_AGENT.toAbsolutePath(),
                        "-Dotel.traces.exporter=logging", "-Dotel.metrics.exporter=none", "-Dotel.logs.exporter=none",
                        "-Dotel.instrumentation.common.default-enabled=false",
                        "-Dotel.instrumentation.methods.enabled=true",
                        "-Dotel.instrumentation.methods.include=com.netflix.conductor.client.automator.TaskRunner[processTask]"),
                        "port=0,histograms=both", "--api-port", "0", "--seed", "3")) {
            prometheus.scrape(app.metricsUrl());
            Set<String> exemplarTraces = new TreeSet<>();
            prometheus.await("exemplars of the task timers", () -> {
                exemplarTraces.addAll(traceIds(prometheus.exemplars(TIMERS)));
                return exemplarTraces.size() >= 3;
            });
            // Each span is logged when it ends, just after the timers inside it observed.
            Set<String> spanTraces = new TreeSet<>();
            prometheus.await("the spans of the exemplars' traces in the log", () -> {
                for (String line : List.copyOf(app.stderr())) {
                    Matcher span = SPAN.matcher(line);
                    if (span.find()) {
                        spanTraces.add(span.group(1));
                    }
                }
                return spanTraces.containsAll(exemplarTraces);
            });
            assertTrue(spanTraces.containsAll(exemplarTraces), "exemplars " + exemplarTraces + ", spans " + spanTraces);
            assertFalse(exemplarTraces.contains("00000000000000000000000000000000"), exemplarTraces.toString());
            app.assertRecordedWithoutErrors(app.scrape());
        }
    }

    /** The trace_id label of every exemplar in a query_exemplars answer. */
    private static Set<String> traceIds(JsonNode data) {
        Set<String> ids = new TreeSet<>();
        for (JsonNode series : data) {
            for (JsonNode exemplar : series.get("exemplars")) {
                ids.add(exemplar.at("/labels/trace_id").asText());
            }
        }
        return ids;
    }
}
