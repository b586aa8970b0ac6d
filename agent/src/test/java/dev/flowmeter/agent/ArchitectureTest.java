package dev.flowmeter.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The agent's packages follow the life of one call, and each uses only those before it (see
 * ARCHITECTURE.md): a package that imports one listed after it, or names one of its classes fully
 * qualified, fails here, with the file and the import.
 */
class ArchitectureTest {

    private static final Path SOURCES = Path.of("src", "main", "java", "dev", "flowmeter", "agent");
    private static final String ROOT = "dev.flowmeter.agent";
    /** Usable by every package, and use none of the agent's own. */
    private static final List<String> BASE = List.of("bootstrap", "report");
    /** In order: each may use only those before it (and the base). The root package, "", comes last. */
    private static final List<String> ORDER = List.of("config", "metrics", "rules.expr", "rules", "probe", "transform",
            "export", "");
    /** An agent class named in code: its package, then the class's simple name. */
    private static final Pattern USE = Pattern.compile("\\bdev\\.flowmeter\\.agent((?:\\.[a-z][a-z0-9_]*)*)\\.(?:[A-Z]|\\*)");

    @Test
    void eachPackageUsesOnlyThoseBeforeIt() throws IOException {
        List<String> wrong = new ArrayList<>();
        for (Path file : sources()) {
            String from = packageOf(file);
            String code = withoutCommentsAndStrings(Files.readString(file));
            Matcher use = USE.matcher(code);
            while (use.find()) {
                String to = use.group(1).isEmpty() ? "" : use.group(1).substring(1);
                if (!allowed(from, to)) {
                    wrong.add(SOURCES.relativize(file) + " (" + shown(from) + ") uses " + shown(to) + ": "
                            + line(code, use.start()));
                }
            }
        }
        assertEquals("", String.join("\n", wrong),
                "a package may use only the base " + BASE + " and the packages before it in " + ORDER);
    }

    @Test
    void everyPackageHasItsPlaceInTheOrder() throws IOException {
        List<String> unplaced = sources().stream().map(ArchitectureTest::packageOf)
                .filter(name -> !BASE.contains(name) && !ORDER.contains(name)).distinct().collect(Collectors.toList());
        assertTrue(unplaced.isEmpty(), "packages not in ArchitectureTest's order: " + unplaced);
    }

    private static boolean allowed(String from, String to) {
        if (from.equals(to)) {
            return true;
        }
        if (BASE.contains(from)) {
            return false;
        }
        if (BASE.contains(to)) {
            return true;
        }
        int fromRank = ORDER.indexOf(from);
        int toRank = ORDER.indexOf(to);
        return fromRank >= 0 && toRank >= 0 && toRank < fromRank;
    }

    private static List<Path> sources() throws IOException {
        try (Stream<Path> files = Files.walk(SOURCES)) {
            List<Path> java = files.filter(file -> file.toString().endsWith(".java")).sorted().collect(Collectors.toList());
            assertTrue(java.size() > 50, "the agent's sources are not at " + SOURCES.toAbsolutePath());
            return java;
        }
    }

    /** The package, below {@code dev.flowmeter.agent}, that a file's folder says; "" for the root. */
    private static String packageOf(Path file) {
        Path folder = SOURCES.relativize(file).getParent();
        return folder == null ? "" : folder.toString().replace(java.io.File.separatorChar, '.');
    }

    private static String shown(String name) {
        return name.isEmpty() ? ROOT : ROOT + "." + name;
    }

    private static String line(String code, int at) {
        int start = code.lastIndexOf('\n', at) + 1;
        int end = code.indexOf('\n', at);
        return code.substring(start, end < 0 ? code.length() : end).trim();
    }

    /**
     * The code with comments and string literals blanked (a class named in Javadoc, or a message, is
     * no use of it), lines kept where they were.
     */
    static String withoutCommentsAndStrings(String source) {
        StringBuilder code = new StringBuilder(source.length());
        int i = 0;
        while (i < source.length()) {
            char c = source.charAt(i);
            if (source.startsWith("//", i)) {
                while (i < source.length() && source.charAt(i) != '\n') {
                    i++;
                }
            } else if (source.startsWith("/*", i)) {
                int end = source.indexOf("*/", i + 2);
                end = end < 0 ? source.length() : end + 2;
                source.substring(i, end).chars().filter(ch -> ch == '\n').forEach(ch -> code.append('\n'));
                i = end;
            } else if (source.startsWith("\"\"\"", i)) {
                int end = source.indexOf("\"\"\"", i + 3);
                end = end < 0 ? source.length() : end + 3;
                source.substring(i, end).chars().filter(ch -> ch == '\n').forEach(ch -> code.append('\n'));
                i = end;
            } else if (c == '"' || c == '\'') {
                code.append(c).append(c);
                i++;
                while (i < source.length() && source.charAt(i) != c && source.charAt(i) != '\n') {
                    i += source.charAt(i) == '\\' ? 2 : 1;
                }
                i++;
            } else {
                code.append(c);
                i++;
            }
        }
        return code.toString();
    }
}
