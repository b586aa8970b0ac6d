package dev.flowmeter.engines.conductor5;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flowmeter.testkit.Promtool;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The versions the README and the rules file say the conductor instrumentation is tested with are the build's. */
class ConductorVersionsDocumentedTest {

    private static final String V4 = System.getProperty("flowmeter.conductor-client-4.version");
    private static final String V5 = System.getProperty("flowmeter.conductor-client.version");

    @Test
    void theReadmeTableGivesBothVersionsTheBuildTests() throws IOException {
        List<String> rows = Files.readAllLines(Promtool.PROJECT_ROOT.resolve("README.md")).stream()
                .filter(line -> line.startsWith("| [`conductor`]")).toList();
        assertEquals(1, rows.size(), rows.toString());
        assertTrue(rows.get(0).contains("conductor-client " + V4 + " (Java 17) and " + V5 + " (Java 21"), rows.get(0));
    }

    @Test
    void theRulesFileGivesBothVersionsTheBuildTests() throws IOException {
        List<String> lines = Files.readAllLines(Promtool.PROJECT_ROOT.resolve(
                "agent/target/classes/dev/flowmeter/agent/instrumentation/conductor.yaml")); // as built: versions filled in
        assertTrue(lines.contains("tested_with: org.conductoross:conductor-client " + V4 + " (Java 17) and " + V5
                + " (Java 21)"), lines.toString());
        long rules = lines.stream().filter(line -> line.startsWith("  - name: conductor.")).count();
        long covered = lines.stream().filter(line -> line.equals("  # 4.x and 5.x (tested: " + V4 + ", " + V5 + ")")).count();
        assertTrue(rules > 0);
        assertEquals(rules, covered, "every rule says which versions it covers");
    }
}
