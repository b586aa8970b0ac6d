package dev.flowmeter.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flowmeter.testkit.InstrumentedJvm;
import dev.flowmeter.testkit.Scrape;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * test-app's own engine, which has no built-in instrumentation, measured through the rules file it
 * ships (src/rules/test-app.yaml): workflow durations and in-flight workflows paired by id, engine
 * status, and a gauge sampled from the live engine, each against what the app counted itself.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TestAppRulesTest {

    static final Path RULES = Path.of("..", "src", "rules", "test-app.yaml").toAbsolutePath().normalize();
    private static final int WORKFLOWS = 60;

    private TestAppRun run;

    @BeforeAll
    void runTheLoad() throws Exception {
        run = TestAppRun.finish("port=0,config=" + RULES, WORKFLOWS, "--fail-rate", "0.3");
    }

    @AfterAll
    void stop() throws InterruptedException {
        if (run != null) {
            run.close();
        }
    }

    @Test
    @Order(1)
    void workflowDurationsPerTypeAndStatusEqualWhatTheEngineFinished() throws Exception {
        Scrape scrape = run.jvm().scrape();
        JsonNode workflows = run.stats().get("workflows");
        long failed = 0;
        for (Iterator<String> types = workflows.get("started").fieldNames(); types.hasNext(); ) {
            String type = types.next();
            long completedCount = workflows.at("/completed/" + type).asLong();
            long failedCount = workflows.at("/failed/" + type).asLong();
            failed += failedCount;
            assertEquals(completedCount, (long) scrape.sum("workflow_duration_seconds_count",
                    Map.of("workflow_type", type, "status", "COMPLETED")), type);
            assertEquals(failedCount, (long) scrape.sum("workflow_duration_seconds_count",
                    Map.of("workflow_type", type, "status", "FAILED")), type);
            assertEquals(0, scrape.sum("workflow_active", Map.of("workflow_type", type)), type);
        }
        assertTrue(failed > 0, "the load must fail some workflows");
        assertEquals(0, scrape.sum("flowmeter_workflows_unpaired_total", Map.of()));
        assertEquals(0, scrape.sum("flowmeter_advice_errors_total", Map.of()), scrape.text());
    }

    /** A rule's probe, and its metrics, are made when the rule is first woven: none for a library test-app lacks. */
    @Test
    @Order(1)
    void onlyTheRulesOfLibrariesPresentHaveProbes() throws Exception {
        Scrape scrape = run.jvm().scrape();
        assertEquals(1, scrape.matching(sample -> sample.name().equals("flowmeter_advice_errors_total")
                && "conductor.task_poll".equals(sample.labels().get("rule"))).size(), scrape.text());
        assertEquals(List.of(), scrape.matching(sample -> sample.labels().getOrDefault("rule", "").startsWith("quartz.")),
                scrape.text());
    }

    @Test
    @Order(3)
    void pausingAndResumingTheEngineFlipsItsStatusAndTheGaugesFollowTheQueue() throws Exception {
        assertEngine("RUNNING");

        assertEquals(200, InstrumentedJvm.post(run.apiUrl() + "/engine/pause", "").statusCode());
        assertEngine("PAUSED");

        // Paused, the engine queues new workflows' first tasks: a quiescent moment to compare gauges.
        for (int i = 0; i < 3; i++) {
            assertEquals(200, InstrumentedJvm.post(run.apiUrl() + "/workflow",
                    "{\"name\":\"report_generation\",\"input\":{\"sequence\":" + (10_000 + i) + "}}").statusCode());
        }
        JsonNode stats = run.currentStats();
        Scrape scrape = run.jvm().scrape();
        assertEquals(stats.get("queued").asLong(), (long) scrape.sum("testapp_queued_tasks", Map.of("engine", "test-app")));
        assertEquals(3, stats.get("queued").asLong());
        assertEquals(stats.get("in_flight").asLong(), (long) scrape.sum("workflow_active", Map.of()));

        assertEquals(200, InstrumentedJvm.post(run.apiUrl() + "/engine/resume", "").statusCode());
        assertEngine("RUNNING");
    }

    @Test
    @Order(2)
    void theIntrospectionEndpointShowsWhatEachRuleMatched() throws Exception {
        JsonNode document = new ObjectMapper().readTree(
                InstrumentedJvm.get(run.jvm().metricsUrl().replace("/metrics", "/-/flowmeter")));
        assertEquals(RULES.toString(), document.at("/config/config").asText());
        JsonNode rules = null;
        for (JsonNode instrumentation : document.get("instrumentations")) {
            if (instrumentation.get("name").asText().equals("rules")) {
                rules = instrumentation.get("rules");
            }
        }
        assertTrue(rules != null && rules.size() == 7, document.toPrettyString());
        for (JsonNode rule : rules) {
            assertEquals("enabled", rule.get("status").asText(), rule.toString());
            assertEquals(1, rule.get("matched").size(), rule.toString());
            assertTrue(rule.get("matched").get(0).asText().startsWith("dev.flowmeter.testapp.Engine#"), rule.toString());
        }
        assertEquals(7, (long) run.jvm().scrape().sum("flowmeter_instrumented_methods", Map.of("instrumentation", "rules")));
    }

    private void assertEngine(String state) throws Exception {
        Scrape scrape = run.jvm().scrape();
        for (String each : new String[] {"RUNNING", "PAUSED", "STOPPED"}) {
            assertEquals(each.equals(state) ? 1 : 0, scrape.sum("workflow_engine_status",
                    Map.of("engine", "test-app", "workflow_engine_status", each)), each + " while " + state);
        }
        assertEquals(state, run.currentStats().get("engine").asText());
    }
}
