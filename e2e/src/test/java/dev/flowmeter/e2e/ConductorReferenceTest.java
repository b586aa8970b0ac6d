package dev.flowmeter.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flowmeter.testkit.Scrape;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * naming=conductor against the Conductor SDKs' metric reference itself (the seed the product was
 * designed from): every sample line of its "Example Metrics Output" has a sample in a scrape of
 * test-app with the same metric name and the same label names, and a number for its value.
 */
class ConductorReferenceTest {

    /** The reference, beside the repository as CI and every session have it. */
    private static final Path REFERENCE = Path.of(System.getProperty("flowmeter.root", ".."), "..", "shared", "seeds",
            "004_b992737d5d7a162a.txt");

    @Test
    void everySampleOfTheReferencesExampleHasItsCounterpartWithConductorNaming() throws Exception {
        List<Scrape.Sample> reference = referenceSamples();
        assertEquals(13, reference.size(), "the reference's example: " + reference);
        List<String> missing = missing(reference, "port=0,naming=conductor,timers=summary");
        assertEquals(List.of(), missing, "reference samples without a counterpart");
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
                boolean found = scrape.samples().stream().anyMatch(sample -> sample.name().equals(wanted.name())
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
        List<String> lines = Files.readAllLines(REFERENCE);
        int start = lines.indexOf("Example Metrics Output");
        int end = lines.indexOf("Configuration");
        assertTrue(start >= 0 && end > start, REFERENCE + " has its example output");
        StringBuilder example = new StringBuilder();
        for (String line : lines.subList(start + 1, end)) {
            if (line.matches("[a-z_]+\\{.*\\} [0-9.]+")) {
                example.append(line).append('\n');
            }
        }
        return Scrape.parse(example.toString()).samples();
    }
}
