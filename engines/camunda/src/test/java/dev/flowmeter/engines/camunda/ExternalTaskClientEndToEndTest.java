package dev.flowmeter.engines.camunda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flowmeter.engines.camunda.fixtures.ExternalTaskClientApp;
import dev.flowmeter.testkit.InstrumentedJvm;
import dev.flowmeter.testkit.Promtool;
import dev.flowmeter.testkit.Scrape;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The Camunda external task client against a real engine's REST API, engine and client in one JVM
 * with the agent (see {@link ExternalTaskClientApp}): handler runs by topic and outcome must equal
 * what the handlers counted, and each result the handlers reported must be counted once, by the
 * engine's side, although the client that sent it runs in the same JVM.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExternalTaskClientEndToEndTest {

    private static final Duration LOAD_TIMEOUT = Duration.ofMinutes(4);
    private static final List<String> TOPICS = List.of("pack", "label");

    private InstrumentedJvm app;
    private final Map<String, Long> truth = new HashMap<>();
    private Scrape scrape;

    @BeforeAll
    void runTheLoad() throws Exception {
        app = InstrumentedJvm.fixture("port=0", ExternalTaskClientApp.class);
        app.awaitStdout(Pattern.compile("^done$"), LOAD_TIMEOUT);
        truth.putAll(app.truth());
        scrape = app.scrape();
    }

    @AfterAll
    void stop() throws InterruptedException {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void handlerRunsByTopicAndOutcomeEqualWhatTheHandlersCounted() {
        for (String topic : TOPICS) {
            for (String status : List.of("SUCCESS", "FAILURE")) {
                scrape.assertCount(truth.getOrDefault("execute " + topic + " " + status, 0L), "task_execute_time_seconds_count",
                        Map.of("task_type", topic, "status", status));
            }
            scrape.assertCount(0, "task_active", Map.of("task_type", topic));
        }
        long thrown = truth("execute pack FAILURE");
        assertTrue(thrown > 0, "some handler runs must throw: " + truth);
        scrape.assertCount(thrown, "task_execute_error_total", Map.of("task_type", "pack", "exception", "IllegalStateException"));
        scrape.assertCount(thrown, "task_execute_error_total", Map.of());
    }

    /** The engine records each reported result where it reaches the task; the client adds no second record. */
    @Test
    void eachReportedResultIsOneUpdateByTopic() {
        long packed = truth("report pack complete");
        long damaged = truth("report pack bpmn_error");
        long labelled = truth("report label complete");
        long jammed = truth("report label failure");
        assertTrue(damaged > 0 && jammed > 0, truth.toString());
        scrape.assertCount(packed, "task_update_time_seconds_count", Map.of("task_type", "pack", "status", "SUCCESS"));
        scrape.assertCount(damaged, "task_update_time_seconds_count", Map.of("task_type", "pack", "status", "FAILURE"));
        scrape.assertCount(labelled, "task_update_time_seconds_count", Map.of("task_type", "label", "status", "SUCCESS"));
        scrape.assertCount(jammed, "task_update_time_seconds_count", Map.of("task_type", "label", "status", "FAILURE"));
        scrape.assertCount(packed + damaged + labelled + jammed, "task_update_time_seconds_count", Map.of());
        assertEquals(jammed, truth("incidents"), "each reported failure without retries is an incident");
    }

    /** On the client's side, each report is one request of its HTTP client, by the REST path. */
    @Test
    void eachReportIsOneRequestOfTheClientsHttpClient() {
        long completed = truth("report pack complete") + truth("report label complete");
        scrape.assertCount(completed, "api_request_time_seconds_count",
                Map.of("method", "POST", "uri", "/engine-rest/external-task/{id}/complete", "status", "204"));
        scrape.assertCount(truth("report pack bpmn_error"), "api_request_time_seconds_count",
                Map.of("method", "POST", "uri", "/engine-rest/external-task/{id}/bpmnError", "status", "204"));
        scrape.assertCount(truth("report label failure"), "api_request_time_seconds_count",
                Map.of("method", "POST", "uri", "/engine-rest/external-task/{id}/failure", "status", "204"));
        assertTrue(scrape.sum("api_request_time_seconds_count",
                Map.of("method", "POST", "uri", "/engine-rest/external-task/fetchAndLock", "status", "200")) > 0, scrape.text());
    }

    @Test
    void theAgentReportsNoErrors() {
        assertTrue(scrape.sum("flowmeter_instrumented_methods", Map.of("instrumentation", "camunda-external-task-client")) > 0,
                scrape.text());
        app.assertRecordedWithoutErrors(scrape);
    }

    private long truth(String key) {
        Long value = truth.get(key);
        if (value == null) {
            throw new AssertionError("the fixture printed no truth '" + key + "': " + truth);
        }
        return value;
    }


    @Test
    void theScrapeIsLintClean() throws Exception {
        Promtool.assertLintClean(app.scrape());
    }
}
