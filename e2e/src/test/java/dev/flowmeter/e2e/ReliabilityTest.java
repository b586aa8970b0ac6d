package dev.flowmeter.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flowmeter.e2e.fixtures.CardinalityApp;
import dev.flowmeter.e2e.fixtures.FaultsApp;
import dev.flowmeter.e2e.fixtures.LoadApp;
import dev.flowmeter.testkit.InstrumentedJvm;
import dev.flowmeter.testkit.Scrape;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Faults inside the agent, exactness under load and a cardinality attack, each in a JVM of its own
 * with the rules of reliability-rules.yaml. The applications count their own calls and check their
 * own results and exceptions; the metrics must match, and flowmeter_advice_errors_total must count
 * what went wrong inside the agent.
 */
class ReliabilityTest {

    private static final Path RULES = Path.of("src", "test", "resources", "reliability", "reliability-rules.yaml")
            .toAbsolutePath();
    private static final String AGENT = "port=0,host=127.0.0.1,config=" + RULES;
    private static final Duration TIMEOUT = Duration.ofSeconds(90);

    @Test
    void faultsInsideTheAgentStayThereAndAreCounted() throws Exception {
        try (InstrumentedJvm app = InstrumentedJvm.fixture(AGENT, FaultsApp.class)) {
            app.awaitStdout(Pattern.compile("^ready$"), TIMEOUT);
            Map<String, Long> truth = app.truth();
            Scrape scrape = app.scrape();

            // The application saw no difference: its results, and its own exceptions, the very objects.
            assertEquals(1, truth.get("results_unchanged"), app.describe());
            assertEquals(truth.get("work_failed"), truth.get("work_same_exception"));
            assertEquals(1, truth.get("depths_unchanged"));

            // A label getter that calls an instrumented method: both rules record every call.
            long work = truth.get("work");
            assertEquals(work, (long) scrape.sum("rel_work_calls_total", Map.of()));
            assertEquals(work, (long) scrape.sum("rel_work_seconds_count", Map.of()));
            assertEquals(truth.get("work_failed"), (long) scrape.sum("rel_work_error_total",
                    Map.of("exception", "UnsupportedOperationException")));
            for (String kind : List.of("invoice", "report", "cleanup")) {
                assertEquals(work / 3, (long) scrape.sum("rel_work_calls_total", Map.of("kind", kind)), kind);
            }
            assertEquals(truth.get("audit"), (long) scrape.sum("rel_audit_calls_total", Map.of()),
                    "audit calls, the application's 10 and those the label getter made");
            assertEquals(10, (long) scrape.sum("rel_audit_calls_total", Map.of("kind", "direct")));
            assertTrue(truth.get("audit") >= work + 10, "the getter ran for every call: " + truth);
            assertEquals(0, scrape.sum("flowmeter_advice_errors_total", Map.of("rule", "rel.work")));
            assertEquals(0, scrape.sum("flowmeter_advice_errors_total", Map.of("rule", "rel.audit")));

            // A label getter that throws: every call counted as an advice error, nothing else recorded.
            assertEquals(work, (long) scrape.sum("flowmeter_advice_errors_total", Map.of("rule", "rel.work_explode")));
            assertTrue(scrape.matching(s -> s.name().equals("rel_work_exploded_total")).isEmpty());

            // A gauge whose value calls an instrumented method during each scrape.
            int scrapes = 5;
            for (int i = 1; i < scrapes; i++) { // the first was above
                scrape = app.scrape();
            }
            assertEquals(3, scrape.sum("rel_queue_depth", Map.of("queue", "alpha")));
            assertEquals(5, scrape.sum("rel_queue_depth", Map.of("queue", "beta")));
            assertTrue(scrape.matching(s -> "broken".equals(s.labels().get("queue"))).isEmpty(), scrape.text());
            app.send("meter");
            long meter = Long.parseLong(app.awaitStdout(Pattern.compile("^meter \\d+$"), TIMEOUT).substring(6));
            assertEquals(truth.get("meter") + 3L * scrapes, meter, "each scrape sampled each of the 3 queues once");
            Scrape last = app.scrape();
            double measured = last.sum("rel_measure_calls_total", Map.of());
            assertTrue(measured >= meter && measured <= meter + 3, measured + " calls counted, the application counted "
                    + meter + " before this scrape and at most 3 during it");
            double gaugeErrors = last.sum("flowmeter_advice_errors_total", Map.of("rule", "rel.queue_depth"));
            assertTrue(gaugeErrors >= scrapes && gaugeErrors <= scrapes + 1, "the broken queue, once a scrape: " + gaugeErrors);
            double measureErrors = last.sum("rel_measure_error_total", Map.of("exception", "IllegalStateException"));
            assertTrue(measureErrors >= 1 + scrapes && measureErrors <= 2 + scrapes, "its own exception: " + measureErrors);
            assertEquals(0, last.sum("flowmeter_advice_errors_total", Map.of("rule", "rel.measure")));

            // A class loader that goes away: what it recorded stays, and the agent keeps nothing of it.
            long steps = truth.get("plugin_steps");
            assertEquals(FaultsApp.PLUGIN_STEPS, steps);
            assertEquals(steps, (long) last.sum("rel_plugin_steps_total", Map.of("plugin", "Plugin")));
            assertEquals(steps, (long) last.sum("rel_plugin_steps_live", Map.of()), "the live plugin's gauge");
            app.send("drop");
            String dropped = app.awaitStdout(Pattern.compile("^loader (not )?collected"), TIMEOUT);
            assertTrue(dropped.startsWith("loader collected"), dropped + "\n" + app.describe());
            Scrape afterDrop = app.scrape();
            assertEquals(steps, (long) afterDrop.sum("rel_plugin_steps_total", Map.of("plugin", "Plugin")));
            assertTrue(afterDrop.matching(s -> s.name().equals("rel_plugin_steps_live")).isEmpty(), afterDrop.text());
            assertEquals(0, afterDrop.sum("flowmeter_advice_errors_total", Map.of("rule", "rel.plugin_step")));
            assertEquals(0, afterDrop.sum("flowmeter_advice_errors_total", Map.of("rule", "rel.plugin_live")));

            System.out.println("ReliabilityTest faults: " + work + " calls with a throwing label getter and a getter"
                    + " calling instrumented code (" + truth.get("audit") + " audit calls), " + scrapes
                    + " scrapes sampling a gauge that calls instrumented code and throws once each, " + dropped);
            List<String> reported = app.stderr().stream().filter(line -> line.startsWith("flowmeter: rule")).toList();
            assertEquals(2, reported.size(), "the throwing getter and the broken gauge, once each: " + reported);
        }
    }

    @Test
    void eightThreadsAMillionCallsEachAreCountedExactlyWhileFourThreadsScrape() throws Exception {
        try (InstrumentedJvm app = InstrumentedJvm.fixture(AGENT, LoadApp.class)) {
            app.awaitStdout(Pattern.compile("^ready$"), TIMEOUT);
            String url = app.metricsUrl();
            AtomicBoolean done = new AtomicBoolean();
            AtomicInteger scrapes = new AtomicInteger();
            ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
            List<Thread> scrapers = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                Thread scraper = new Thread(() -> {
                    Map<String, Double> previous = new HashMap<>();
                    while (!done.get()) {
                        try {
                            Scrape scrape = Scrape.parse(InstrumentedJvm.get(url));
                            scrapes.incrementAndGet();
                            for (Scrape.Sample sample : scrape.samples()) {
                                if (sample.name().endsWith("_total") || sample.name().endsWith("_count")) {
                                    String key = sample.name() + sample.labels();
                                    Double before = previous.put(key, sample.value());
                                    if (before != null && sample.value() < before) {
                                        problems.add(key + " went from " + before + " to " + sample.value());
                                    }
                                }
                            }
                        } catch (Exception failed) {
                            problems.add("a scrape failed: " + failed);
                        }
                    }
                });
                scraper.start();
                scrapers.add(scraper);
            }
            app.send("go");
            String result;
            try {
                result = app.awaitStdout(Pattern.compile("^done calls"), TIMEOUT);
            } finally {
                done.set(true);
                for (Thread scraper : scrapers) {
                    scraper.join(30_000);
                }
            }
            String[] words = result.split(" ");
            long calls = Long.parseLong(words[2]);
            long nanos = Long.parseLong(words[4]);
            assertEquals("1", words[6], "the application's results are unchanged");
            assertEquals(8_000_001, calls, "8 threads x 1,000,000 and one call before them");
            assertTrue(problems.isEmpty(), problems.size() + " problems, such as " + problems.peek());
            assertTrue(scrapes.get() > 4, "scrapes during the load: " + scrapes.get());

            Scrape scrape = app.scrape();
            Map<String, String> service = Map.of("service", "load");
            assertEquals(calls, (long) scrape.sum("rel_compute_calls_total", service));
            assertEquals(calls, (long) scrape.sum("rel_compute_seconds_count", Map.of("service", "load", "status", "SUCCESS")));
            assertEquals(0, scrape.sum("flowmeter_advice_errors_total", Map.of("rule", "rel.compute")));
            System.out.printf("ReliabilityTest load: %d calls in %d ms of wall-clock time (%.1f million calls/s),"
                    + " %d scrapes by 4 threads meanwhile, none failed, all counters monotonic%n",
                    calls - 1, nanos / 1_000_000, (calls - 1) * 1e3 / nanos, scrapes.get());
        }
    }

    @Test
    void aMillionDistinctLabelValuesStayWithinTheCapInBoundedHeap() throws Exception {
        try (InstrumentedJvm app = InstrumentedJvm.fixture(AGENT, CardinalityApp.class)) {
            app.awaitStdout(Pattern.compile("^done$"), TIMEOUT);
            Map<String, Long> figures = new HashMap<>();
            for (String line : app.stdout()) {
                if (line.startsWith("figure ")) {
                    String[] words = line.split(" ");
                    figures.put(words[1], Long.parseLong(words[2]));
                }
            }
            Scrape scrape = app.scrape();
            List<Scrape.Sample> series = scrape.matching(s -> s.name().equals("rel_tag_values_total"));
            assertEquals(2000, series.size(), "1999 label sets and _other_: the cap counts every label set of the family");
            assertEquals(1_000_000, (long) scrape.sum("rel_tag_values_total", Map.of()), "nothing lost");
            assertEquals(998_001, (long) scrape.sum("rel_tag_values_total", Map.of("value", "_other_")));
            assertEquals(998_001, (long) scrape.sum("flowmeter_series_dropped_total", Map.of("metric", "rel_tag_values_total")));
            assertEquals(1_000_000, (long) scrape.sum("rel_tag_plain_total", Map.of()));
            assertEquals(0, scrape.sum("flowmeter_advice_errors_total", Map.of("rule", "rel.tag")));

            // 2000 series, each a few label strings, a tree node and a counter data point, take well under
            // 2 MB; 16 MB leaves room for collector noise, and is far below the hundreds of megabytes that a
            // million uncapped series would take.
            long growth = figures.get("labelled_heap_growth_bytes") - figures.get("plain_heap_growth_bytes");
            assertTrue(growth < 16L << 20, "the labelled rule grew the heap by " + growth + " bytes more: " + figures);
            // Past the cap a call finds no series, makes the label values' array and takes _other_: a few
            // dozen bytes and well under a microsecond beyond the unlabelled rule, never a crawl.
            long extraBytes = figures.get("over_cap_bytes_per_call") - figures.get("plain_bytes_per_call");
            assertTrue(extraBytes < 256, "bytes per call past the cap beyond the unlabelled rule: " + figures);
            assertTrue(figures.get("over_cap_ns_per_call") < 20_000, "time per call past the cap: " + figures);
            System.out.println("ReliabilityTest cardinality: 1,000,000 distinct values, " + series.size()
                    + " series; heap growth " + growth / 1024 + " KB beyond the unlabelled rule; " + figures);
        }
    }
}
