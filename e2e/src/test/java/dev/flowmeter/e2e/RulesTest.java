package dev.flowmeter.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flowmeter.e2e.fixtures.RulesApp;
import dev.flowmeter.testkit.InstrumentedJvm;
import dev.flowmeter.testkit.Scrape;
import java.nio.file.Path;
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
 * A user's rules file on a sample scheduler of plain classes, interfaces and subclasses, loaded by a
 * child class loader: labels from arguments, return values and {@code this}, a rule on a missing
 * method, an expression that throws, a cardinality cap, and gauges from live instances.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RulesTest {

    private static final Path RULES = Path.of("src", "test", "resources", "rules", "sample-rules.yaml").toAbsolutePath();
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private InstrumentedJvm app;
    private Map<String, Long> truth;
    private Scrape scrape;

    // Started and closed by hand, as Conductor5EndToEndTest's fixture is, on purpose: FixtureRun waits for one ready
    // line, and this test checks a line printed before it (the class loader that loaded the sample classes).
    @BeforeAll
    void runTheWorkload() throws Exception {
        app = InstrumentedJvm.fixture("port=0,config=" + RULES, RulesApp.class);
        assertEquals("classes loaded by child", app.awaitStdout(Pattern.compile("^classes loaded by"), TIMEOUT));
        app.awaitStdout(Pattern.compile("^pools "), TIMEOUT);
        truth = app.truth();
        scrape = app.scrape();
    }

    @AfterAll
    void stop() throws InterruptedException {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void labelsFromArgumentsAndThisWithOutcomesAndErrors() {
        long calls = 0;
        for (Map.Entry<String, Long> entry : truth.entrySet()) {
            String[] key = entry.getKey().split(" ");
            if (!key[0].equals("ok") && !key[0].equals("failed")) {
                continue;
            }
            String[] kindAndRegion = key[1].split("/");
            Map<String, String> labels = Map.of("kind", kindAndRegion[0], "region", kindAndRegion[1], "runner", "main");
            Map<String, String> withStatus = new HashMap<>(labels);
            withStatus.put("status", key[0].equals("ok") ? "SUCCESS" : "FAILURE");
            assertEquals(entry.getValue(), (long) scrape.sum("sample_process_time_seconds_count", withStatus), withStatus.toString());
            if (key[0].equals("failed")) {
                Map<String, String> withException = new HashMap<>(labels);
                withException.put("exception", "UnsupportedOperationException");
                assertEquals(entry.getValue(), (long) scrape.sum("sample_process_error_total", withException));
            }
            calls += entry.getValue();
        }
        assertTrue(truth.keySet().stream().anyMatch(key -> key.startsWith("failed ")), truth.toString());
        assertEquals(calls, (long) scrape.sum("sample_process_calls_total", Map.of()));
        assertEquals(calls, (long) scrape.sum("sample_process_time_seconds_count", Map.of()));
    }

    @Test
    void anInterfaceRuleReachesEveryImplementationAndReturnValuesBecomeLabels() {
        for (String job : List.of("InvoiceJob", "ReportJob", "CleanupJob")) {
            assertEquals(truth.get("run " + job), (long) scrape.sum("sample_job_runs_total", Map.of("job", job)), job);
        }
        for (String outcome : List.of("PAID", "DISPUTED", "WRITTEN_OFF")) {
            assertEquals(truth.get("settled " + outcome), (long) scrape.sum("sample_settled_total", Map.of("outcome", outcome)));
        }
    }

    @Test
    void distinctLabelValuesStayWithinTheCap() {
        List<Scrape.Sample> series = scrape.matching(sample -> sample.name().equals("sample_tag_values_total"));
        assertEquals(500, series.size(), "499 label sets and _other_: the cap counts every label set of the family");
        assertEquals(truth.get("tags"), (long) scrape.sum("sample_tag_values_total", Map.of()), "nothing lost");
        assertEquals(truth.get("tags") - 499, (long) scrape.sum("sample_tag_values_total", Map.of("value", "_other_")));
        assertEquals(truth.get("tags") - 499, (long) scrape.sum("flowmeter_series_dropped_total",
                Map.of("metric", "sample_tag_values_total")));
    }

    @Test
    void anExpressionThatThrowsIsCountedAndTheApplicationNeverSeesIt() {
        assertEquals(truth.get("tags"), (long) scrape.sum("flowmeter_advice_errors_total", Map.of("rule", "sample.explode")));
        assertTrue(scrape.matching(sample -> sample.name().equals("sample_exploded_total")).isEmpty());
        assertEquals(1, agentLines("rule sample.explode failed").size(), app.describe());
    }

    @Test
    void aRuleOnAMissingMethodIsReportedOnceAndTheOthersApply() {
        List<String> lines = agentLines("rule sample.missing skipped");
        assertEquals(1, lines.size(), app.describe());
        assertTrue(lines.get(0).contains("has no method doesNotExist"), lines.get(0));
        assertTrue(agentLines("sample.never_loaded").isEmpty(), "a class that never loads is not an error");
        assertEquals(0, scrape.sum("flowmeter_advice_errors_total", Map.of("rule", "sample.process")));
    }

    @Test
    void gaugesAreSampledFromLiveInstancesAndForgetCollectedOnes() throws Exception {
        assertEquals(3, scrape.sum("sample_pool_size", Map.of("pool", "alpha")));
        assertEquals(5, scrape.sum("sample_pool_size", Map.of("pool", "beta")));
        assertEquals(7, scrape.sum("sample_pool_size", Map.of("pool", "gamma")));

        app.send("drop gamma");
        app.awaitStdout(Pattern.compile("^dropped gamma"), TIMEOUT);
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        Scrape after = app.scrape();
        while (!after.matching(sample -> "gamma".equals(sample.labels().get("pool"))).isEmpty()
                && System.nanoTime() < deadline) {
            Thread.sleep(50);
            after = app.scrape();
        }
        assertFalse(after.text().contains("pool=\"gamma\""), "a collected pool must leave the gauge");
        assertEquals(3, after.sum("sample_pool_size", Map.of("pool", "alpha")));
    }

    private List<String> agentLines(String containing) {
        return app.stderr().stream().filter(line -> line.startsWith("flowmeter") && line.contains(containing)).toList();
    }
}
