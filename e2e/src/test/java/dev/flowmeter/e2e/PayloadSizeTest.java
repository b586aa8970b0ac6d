package dev.flowmeter.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flowmeter.testkit.Scrape;
import java.util.Iterator;
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
            // The listener hears each size asynchronously, a moment after the agent recorded it.
            long deadline = System.nanoTime() + java.time.Duration.ofSeconds(30).toNanos();
            Map<String, Long> expected;
            Map<String, Long> recorded;
            Scrape scrape;
            do {
                expected = expected(run.currentStats().get("payloads"));
                scrape = run.jvm().scrape();
                recorded = recorded(scrape, expected, taskLabel, workflowLabel);
            } while (!expected.equals(recorded) && System.nanoTime() < deadline && pause());
            assertEquals(expected, recorded);
            assertTrue(expected.get("task_result_size charge_payment sum") > 1000, expected.toString());
            assertTrue(expected.get("workflow_input_size unregistered_flow count") > 0, expected.toString());
            assertEquals(expected.get("task_result_size charge_payment count"),
                    (long) scrape.sum("task_result_size_bucket", Map.of(taskLabel, "charge_payment", "le", "+Inf")));
            assertTrue(scrape.matching(sample -> sample.name().equals("workflow_input_size_count")
                    && "".equals(sample.labels().get("version"))).size() > 0, "version is empty for the latest");
            run.jvm().assertRecordedWithoutErrors(scrape);
        }
    }

    private static boolean pause() throws InterruptedException {
        Thread.sleep(100);
        return true;
    }

    /** "FAMILY TYPE count|sum" to the value test-app counted. */
    private static Map<String, Long> expected(JsonNode payloads) {
        Map<String, Long> expected = new TreeMap<>();
        for (String family : new String[] {"task_result_size", "workflow_input_size"}) {
            for (Iterator<Map.Entry<String, JsonNode>> it = payloads.get(family).fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> type = it.next();
                expected.put(family + " " + type.getKey() + " count", type.getValue().get("count").asLong());
                expected.put(family + " " + type.getKey() + " sum", type.getValue().get("sum").asLong());
            }
        }
        return expected;
    }

    /** The same keys, from the scrape's _count and _sum. */
    private static Map<String, Long> recorded(Scrape scrape, Map<String, Long> expected, String taskLabel,
            String workflowLabel) {
        Map<String, Long> recorded = new TreeMap<>();
        for (String key : expected.keySet()) {
            String[] parts = key.split(" ");
            String label = parts[0].equals("task_result_size") ? taskLabel : workflowLabel;
            recorded.put(key, (long) scrape.sum(parts[0] + "_" + parts[2], Map.of(label, parts[1])));
        }
        return recorded;
    }
}
