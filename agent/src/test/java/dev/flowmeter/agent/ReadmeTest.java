package dev.flowmeter.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flowmeter.agent.config.Naming;
import dev.flowmeter.agent.config.Setting;
import dev.flowmeter.agent.metrics.Catalog;
import dev.flowmeter.agent.metrics.MetricFamily;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
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
     * Each library's row links its rules file in the library's own folder under {@code engines/},
     * beside that folder's README (which names the file) and its tests against the real library; the
     * table lists every rules file those folders hold, each bundled in the agent; and the row says what
     * the instrumentation was tested with as the bundled file does once built, where the build puts
     * the versions the engine tests run against (the root pom's).
     */
    @Test
    void theLibraryTableLinksEachLibrarysFolderAndSaysWhatItWasTestedWithAsTheBuildDoes() throws IOException {
        Pattern link = Pattern.compile("^\\[`([a-z0-9-]+)`\\]\\(engines/([a-z0-9-]+)/\\1\\.yaml\\)$");
        Pattern testedWith = Pattern.compile("^tested_with: (.*)$", Pattern.MULTILINE);
        String modules = Files.readString(Path.of("..", "pom.xml"));
        List<String> expected = new ArrayList<>();
        List<String> found = new ArrayList<>();
        Set<String> linked = new TreeSet<>();
        for (String row : rows("| name (for `disable`) | library | tested with |", 3)) {
            String[] cells = row.split(" \\| ");
            Matcher cell = link.matcher(cells[0]);
            assertTrue(cell.matches(), cells[0] + ": a row links engines/FOLDER/NAME.yaml");
            String name = cell.group(1);
            Path folder = Path.of("..", "engines", cell.group(2));
            assertTrue(Files.readString(folder.resolve("README.md")).contains(name + ".yaml"),
                    folder + "/README.md names " + name + ".yaml");
            assertTrue(modules.contains("<module>engines/" + cell.group(2) + "</module>"),
                    folder + " is a module of the build, whose tests run");
            linked.add(folder.resolve(name + ".yaml").normalize().toString());

            Path bundled = Path.of("target/classes/dev/flowmeter/agent/instrumentation", name + ".yaml");
            Matcher declared = testedWith.matcher(Files.readString(bundled));
            assertTrue(declared.find(), bundled + " says what it was tested with");
            assertFalse(declared.group(1).contains("${"), bundled + " has its versions filled in by the build");
            expected.add(name + ": " + declared.group(1));
            found.add(name + ": " + cells[2]);
        }
        assertTrue(expected.size() >= 14, expected.toString());
        assertEquals(expected, found);

        Set<String> inFolders = new TreeSet<>();
        Set<String> inAgent = new TreeSet<>();
        try (Stream<Path> files = Files.list(Path.of("..", "engines")).flatMap(ReadmeTest::list)) {
            files.filter(file -> file.toString().endsWith(".yaml")).forEach(file -> inFolders.add(file.normalize().toString()));
        }
        try (Stream<Path> files = Files.list(Path.of("target/classes/dev/flowmeter/agent/instrumentation"))) {
            files.map(file -> file.getFileName().toString()).filter(file -> file.endsWith(".yaml")).forEach(inAgent::add);
        }
        assertEquals(inFolders, linked, "the table lists every rules file of the libraries' folders");
        Set<String> names = new TreeSet<>();
        linked.forEach(file -> names.add(Path.of(file).getFileName().toString()));
        assertEquals(names, inAgent, "the agent bundles every rules file of the libraries' folders, and no other");
    }

    private static Stream<Path> list(Path folder) {
        try {
            return Files.isDirectory(folder) ? Files.list(folder) : Stream.empty();
        } catch (IOException unreadable) {
            throw new UncheckedIOException(unreadable);
        }
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
