package dev.flowmeter.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.flowmeter.agent.config.Setting;
import dev.flowmeter.agent.metrics.Catalog;
import dev.flowmeter.agent.metrics.MetricFamily;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The README's reference tables are the code's: a key or metric changed in one place fails here. */
class ReadmeTest {

    private static final Path README = Path.of("..", "README.md");

    @Test
    void theMetricTableListsEveryFamilyOfTheCatalogWithItsTypeAndLabels() throws IOException {
        List<String> expected = new ArrayList<>();
        for (MetricFamily family : Catalog.ALL) {
            expected.add("`" + family.name() + "` | " + family.type() + " | " + String.join(", ", family.labelNames()));
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
