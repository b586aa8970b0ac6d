package dev.flowmeter.engines.camunda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flowmeter.engines.camunda.fixtures.ExternalTaskClientApp;
import dev.flowmeter.testkit.FixtureRun;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Camunda external task client against a real engine's REST API, engine and client in one JVM
 * with the agent (see {@link ExternalTaskClientApp}): handler runs by topic and outcome must equal
 * what the handlers counted, and each result the handlers reported must be counted once, by the
 * engine's side, although the client that sent it runs in the same JVM.
 */
class ExternalTaskClientEndToEndTest {

    private static final Duration LOAD_TIMEOUT = Duration.ofMinutes(4);
    private static final List<String> TOPICS = List.of("pack", "label");

    @RegisterExtension
    static final FixtureRun run = FixtureRun.fixture(ExternalTaskClientApp.class).readyAt("^done$", LOAD_TIMEOUT);

    @Test
    void handlerRunsByTopicAndOutcomeEqualWhatTheHandlersCounted() {
        for (String topic : TOPICS) {
            for (String status : List.of("SUCCESS", "FAILURE")) {
                run.scrape().assertCount(run.truth().getOrDefault("execute " + topic + " " + status, 0L), "task_execute_time_seconds_count",
                        Map.of("task_type", topic, "status", status));
            }
            run.scrape().assertCount(0, "task_active", Map.of("task_type", topic));
        }
        long thrown = run.truth("execute pack FAILURE");
        assertTrue(thrown > 0, "some handler runs must throw: " + run.truth());
        run.scrape().assertCount(thrown, "task_execute_error_total", Map.of("task_type", "pack", "exception", "IllegalStateException"));
        run.scrape().assertCount(thrown, "task_execute_error_total", Map.of());
    }

    /** The engine records each reported result where it reaches the task; the client adds no second record. */
    @Test
    void eachReportedResultIsOneUpdateByTopic() {
        long packed = run.truth("report pack complete");
        long damaged = run.truth("report pack bpmn_error");
        long labelled = run.truth("report label complete");
        long jammed = run.truth("report label failure");
        assertTrue(damaged > 0 && jammed > 0, run.truth().toString());
        run.scrape().assertCount(packed, "task_update_time_seconds_count", Map.of("task_type", "pack", "status", "SUCCESS"));
        run.scrape().assertCount(damaged, "task_update_time_seconds_count", Map.of("task_type", "pack", "status", "FAILURE"));
        run.scrape().assertCount(labelled, "task_update_time_seconds_count", Map.of("task_type", "label", "status", "SUCCESS"));
        run.scrape().assertCount(jammed, "task_update_time_seconds_count", Map.of("task_type", "label", "status", "FAILURE"));
        run.scrape().assertCount(packed + damaged + labelled + jammed, "task_update_time_seconds_count", Map.of());
        assertEquals(jammed, run.truth("incidents"), "each reported failure without retries is an incident");
    }

    /** On the client's side, each report is one request of its HTTP client, by the REST path. */
    @Test
    void eachReportIsOneRequestOfTheClientsHttpClient() {
        long completed = run.truth("report pack complete") + run.truth("report label complete");
        run.scrape().assertCount(completed, "api_request_time_seconds_count",
                Map.of("method", "POST", "uri", "/engine-rest/external-task/{id}/complete", "status", "204"));
        run.scrape().assertCount(run.truth("report pack bpmn_error"), "api_request_time_seconds_count",
                Map.of("method", "POST", "uri", "/engine-rest/external-task/{id}/bpmnError", "status", "204"));
        run.scrape().assertCount(run.truth("report label failure"), "api_request_time_seconds_count",
                Map.of("method", "POST", "uri", "/engine-rest/external-task/{id}/failure", "status", "204"));
        assertTrue(run.scrape().sum("api_request_time_seconds_count",
                Map.of("method", "POST", "uri", "/engine-rest/external-task/fetchAndLock", "status", "200")) > 0, run.scrape().text());
    }

    @Test
    void theAgentReportsNoErrors() {
        run.assertInstrumentedWithoutErrors("camunda-external-task-client");
    }

    @Test
    void theScrapeIsLintClean() throws Exception {
        run.assertLintClean();
    }
}
