package dev.flowmeter.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flowmeter.testkit.InstrumentedJvm;
import dev.flowmeter.testkit.Scrape;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * task_result_size and workflow_input_size, histograms recorded by the bundled conductor rules from
 * conductor-client's payload-size events, against what test-app counted: the sizes its TaskClient's
 * listener heard, and the bytes of each workflow input as JSON, by type, count and sum.
 */
class PayloadSizeTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "port=0|task_type|workflow_type",
        "port=0,naming=conductor,histograms=both|taskType|workflowType",
    })
    void countsAndSumsOfBothSizesEqualWhatTheAppCounted(String agentArguments, String taskLabel, String workflowLabel)
            throws Exception {
        try (TestAppRun run = TestAppRun.finish(agentArguments, 60, "--seed", "11", "--fail-rate", "0.3")) {
            InstrumentedJvm.assertAgree(() -> sizes(run.currentStats(), "task_result_size"),
                    () -> run.jvm().scrape().totalsBy("task_result_size", taskLabel), Duration.ofSeconds(30));
            InstrumentedJvm.assertAgree(() -> sizes(run.currentStats(), "workflow_input_size"),
                    () -> run.jvm().scrape().totalsBy("workflow_input_size", workflowLabel), Duration.ofSeconds(30));

            Map<String, Long> results = sizes(run.currentStats(), "task_result_size");
            assertTrue(results.get("charge_payment sum") > 1000, results.toString());
            assertTrue(sizes(run.currentStats(), "workflow_input_size").get("unregistered_flow count") > 0);
            Scrape scrape = run.jvm().scrape();
            assertEquals(results.get("charge_payment count"),
                    (long) scrape.sum("task_result_size_bucket", Map.of(taskLabel, "charge_payment", "le", "+Inf")));
            assertFalse(scrape.matching(sample -> sample.name().equals("workflow_input_size_count")
                    && "".equals(sample.labels().get("version"))).isEmpty(), "version is empty for the latest");
            run.jvm().assertRecordedWithoutErrors(scrape);
        }
    }

    /** What test-app counted of one family: "TYPE count" and "TYPE sum". */
    static Map<String, Long> sizes(JsonNode stats, String family) {
        Map<String, Long> sizes = new TreeMap<>();
        stats.at("/payloads/" + family).fields().forEachRemaining(type -> type.getValue().fields().forEachRemaining(
                total -> sizes.put(type.getKey() + " " + total.getKey(), total.getValue().asLong())));
        return sizes;
    }
}
