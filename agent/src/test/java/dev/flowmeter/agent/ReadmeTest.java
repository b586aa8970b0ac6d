package dev.flowmeter.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flowmeter.agent.config.Naming;
import dev.flowmeter.agent.config.Setting;
import dev.flowmeter.agent.metrics.Catalog;
import dev.flowmeter.agent.metrics.MetricFamily;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The README's reference tables are the code's: a key or metric changed in one place fails here. */
class ReadmeTest {

    private static final Path README = Path.of("..", "README.md");

    @Test
    void theMetricTableListsEveryFamilyOfTheCatalogWithItsTypeAndLabels() throws IOException {
        List<String> expected = new ArrayList<>();
        for (MetricFamily family : Catalog.ALL) {
            List<String> labels = new ArrayList<>();
            for (String label : family.labelNames()) {
                String conductor = Naming.CONDUCTOR.label(label);
                labels.add(conductor.equals(label) ? label : label + " (`" + conductor + "`)");
            }
            expected.add("`" + family.name() + "` | " + family.type() + " | " + String.join(", ", labels));
        }
        assertEquals(expected, rows("| metric | type | labels |", 3));
    }

    @Test
    void theArgumentTableListsEverySettingWithItsDefault() throws IOException {
        List<String> expected = new ArrayList<>();
        for (Setting setting : Setting.values()) {
            String defaultValue = setting.defaultValue().isEmpty() ? "(none)" : "`" + setting.defaultValue() + "`";
            expected.add("`" + setting.key() + "` | " + defaultValue + " | " + setting.description());
        }
        assertEquals(expected, rows("| key | default | meaning |", 3));
    }

    /**
     * Each library's row says what its instrumentation was tested with as the bundled file does once
     * built, where the build puts the versions the engine tests run against (the root pom's).
     */
    @Test
    void theLibraryTableSaysWhatEachInstrumentationWasTestedWithAsTheBuildDoes() throws IOException {
        Pattern testedWith = Pattern.compile("^tested_with: (.*)$", Pattern.MULTILINE);
        List<String> expected = new ArrayList<>();
        List<String> found = new ArrayList<>();
        for (String row : rows("| name (for `disable`) | library | tested with |", 3)) {
            String[] cells = row.split(" \\| ");
            String name = cells[0].substring(cells[0].indexOf('`') + 1, cells[0].lastIndexOf('`'));
            Path bundled = Path.of("target/classes/dev/flowmeter/agent/instrumentation", name + ".yaml");
            Matcher declared = testedWith.matcher(Files.readString(bundled));
            assertTrue(declared.find(), bundled + " says what it was tested with");
            assertFalse(declared.group(1).contains("${"), bundled + " has its versions filled in by the build");
            expected.add(name + ": " + declared.group(1));
            found.add(name + ": " + cells[2]);
        }
        assertTrue(expected.size() >= 14, expected.toString());
        assertEquals(expected, found);
    }

    /** The first {@code columns} cells of each row of the table under {@code header}. */
    private static List<String> rows(String header, int columns) throws IOException {
        List<String> lines = Files.readAllLines(README);
        int start = 0;
        while (!lines.get(start).startsWith(header)) {
            start++;
        }
        List<String> rows = new ArrayList<>();
        for (int i = start + 2; i < lines.size() && lines.get(i).startsWith("|"); i++) {
            String[] cells = lines.get(i).split("\\|");
            List<String> kept = new ArrayList<>();
            for (int c = 1; c <= columns; c++) {
                kept.add(cells[c].trim());
            }
            rows.add(String.join(" | ", kept));
        }
        return rows;
    }
}
