package dev.flowmeter.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flowmeter.testkit.InstrumentedJvm;
import dev.flowmeter.testkit.Scrape;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * naming=conductor against the Conductor SDKs' metric reference itself (the seed the product was
 * designed from): every sample line of its "Example Metrics Output" and every metric of its "Quick
 * Reference" that the Java client has an event for has a sample in a scrape of test-app with the same
 * metric name and the same label names, and a number for its value; and each of its PromQL examples
 * returns data from a real Prometheus scraping test-app.
 */
class ConductorReferenceTest {

    private static final String CONDUCTOR_NAMING = "port=0,naming=conductor,timers=summary";
    /**
     * The reference's metrics that Flowmeter does not serve, and why: the Python SDK's TaskHandler restarts
     * worker subprocesses, which the Java client has none of; the payload sizes are issue 17's histograms.
     */
    private static final Set<String> NOT_SERVED = Set.of("worker_restart_total");
    /** The reference's last-value gauges that Flowmeter serves as histograms of the same name and labels (README). */
    private static final Set<String> AS_HISTOGRAMS = Set.of("task_result_size", "workflow_input_size");

    /** The reference, beside the repository as CI and every session have it. */
    private static final Path REFERENCE = Path.of(System.getProperty("flowmeter.root", ".."), "..", "shared", "seeds",
            "004_b992737d5d7a162a.txt");

    @Test
    void everySampleOfTheReferencesExampleHasItsCounterpartWithConductorNaming() throws Exception {
        List<Scrape.Sample> reference = referenceSamples();
        assertEquals(13, reference.size(), "the reference's example: " + reference);
        List<String> missing = missing(reference, CONDUCTOR_NAMING);
        assertEquals(List.of(), missing, "reference samples without a counterpart");
    }

    @Test
    void everyMetricOfTheReferencesQuickReferenceHasItsCounterpartWithConductorNaming() throws Exception {
        List<Scrape.Sample> reference = quickReference();
        assertEquals(24, reference.size(), "the reference's quick reference: " + reference);
        List<String> missing = missing(reference, CONDUCTOR_NAMING);
        assertTrue(missing.stream().allMatch(sample -> NOT_SERVED.contains(sample.substring(0, sample.indexOf('[')))),
                "reference metrics without a counterpart: " + missing);
    }

    @Test
    void everyPromqlExampleOfTheReferenceReturnsDataFromPrometheus(@TempDir Path folder) throws Exception {
        List<String> examples = promqlExamples();
        assertEquals(5, examples.size(), "the reference's PromQL examples: " + examples);
        try (PrometheusServer prometheus = PrometheusServer.start(folder);
                InstrumentedJvm app = InstrumentedJvm.testApp(CONDUCTOR_NAMING, "--api-port", "0", "--api-fail-every", "10")) {
            prometheus.scrape(app.metricsUrl());
            for (String example : examples) {
                prometheus.awaitQuery(example, result -> result.size() > 0 && anyFinite(result));
            }
        }
    }

    private static boolean anyFinite(JsonNode result) {
        for (JsonNode sample : result) {
            if (Double.isFinite(Double.parseDouble(sample.at("/value/1").asText()))) {
                return true;
            }
        }
        return false;
    }

    @Test
    void withPrometheusNamingTheTaskLabelsDiffer() throws Exception {
        List<String> missing = missing(referenceSamples(), "port=0,timers=summary");
        assertFalse(missing.isEmpty(), "the default naming is Prometheus' snake case");
        assertTrue(missing.stream().allMatch(sample -> sample.contains("taskType")), missing.toString());
    }

    /** The reference samples no sample of test-app's scrape matches by name and label names. */
    private static List<String> missing(List<Scrape.Sample> reference, String agentArguments) throws Exception {
        try (TestAppRun run = TestAppRun.finish(agentArguments, 30, "--fail-rate", "0.3", "--seed", "7",
                "--api-fail-every", "10")) {
            Scrape scrape = run.jvm().scrape();
            List<String> missing = new ArrayList<>();
            for (Scrape.Sample wanted : reference) {
                String name = AS_HISTOGRAMS.contains(wanted.name()) ? wanted.name() + "_count" : wanted.name();
                boolean found = scrape.samples().stream().anyMatch(sample -> sample.name().equals(name)
                        && sample.labels().keySet().equals(wanted.labels().keySet()) && Double.isFinite(sample.value()));
                if (!found) {
                    missing.add(wanted.name() + wanted.labels().keySet());
                }
            }
            return missing;
        }
    }

    /** The sample lines between "Example Metrics Output" and the next section, parsed as an exposition. */
    private static List<Scrape.Sample> referenceSamples() throws Exception {
        StringBuilder example = new StringBuilder();
        for (String line : section("Example Metrics Output", "Configuration")) {
            if (line.matches("[a-z_]+\\{.*\\} [0-9.]+")) {
                example.append(line).append('\n');
            }
        }
        return Scrape.parse(example.toString()).samples();
    }

    /**
     * The rows of the "Quick Reference" table, such as {@code task_poll_total Counter taskType Number of task
     * poll attempts}, as samples with the row's metric name and label names (the values are not the table's).
     */
    private static List<Scrape.Sample> quickReference() throws Exception {
        Pattern row = Pattern.compile("([a-z_]+) (?:Timer \\(quantile gauge\\)|Counter|Gauge) ((?:[A-Za-z]+, )*[A-Za-z]+) .*");
        List<Scrape.Sample> metrics = new ArrayList<>();
        for (String line : section("Quick Reference", "Label Values")) {
            Matcher matched = row.matcher(line);
            if (matched.matches()) {
                Map<String, String> labels = new TreeMap<>();
                for (String label : matched.group(2).split(", ")) {
                    labels.put(label, "");
                }
                metrics.add(new Scrape.Sample(matched.group(1), labels, 0));
            }
        }
        return metrics;
    }

    /**
     * The queries of "Querying Metrics with PromQL": its paragraphs (separated by empty lines) other than the
     * titles, which end with a colon, each joined into one line.
     */
    private static List<String> promqlExamples() throws Exception {
        List<String> examples = new ArrayList<>();
        StringBuilder query = new StringBuilder();
        for (String line : section("Querying Metrics with PromQL", "Complete Example")) {
            if (line.isBlank() || line.endsWith(":")) {
                if (query.length() > 0) {
                    examples.add(query.toString().trim());
                    query.setLength(0);
                }
            } else {
                query.append(line).append(' ');
            }
        }
        if (query.length() > 0) {
            examples.add(query.toString().trim());
        }
        return examples;
    }

    /** The reference's lines after the heading line {@code from}, up to the next line {@code to}. */
    private static List<String> section(String from, String to) throws Exception {
        List<String> lines = Files.readAllLines(REFERENCE);
        int start = lines.indexOf(from);
        int end = start < 0 ? -1 : lines.subList(start, lines.size()).indexOf(to) + start;
        assertTrue(start >= 0 && end > start, REFERENCE + " has its section " + from);
        return lines.subList(start + 1, end);
    }
}
