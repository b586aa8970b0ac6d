package dev.flowmeter.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The fast reader gives what SnakeYAML gives, or declines. */
class PlainYamlTest {

    private static final Path PROJECT = Path.of("..").toAbsolutePath().normalize();

    @Test
    void everyYamlFileOfTheProjectReadsAsSnakeYamlReadsItAndTheAgentsOwnAreNotDeclined() throws IOException, ConfigException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(PROJECT)) {
            files = walk.filter(path -> path.toString().matches(".*\\.ya?ml"))
                    .filter(path -> !path.toString().contains("/target/") && !path.toString().contains("/.git/"))
                    .collect(Collectors.toList());
        }
        assertTrue(files.size() >= 15, files.toString());
        for (Path file : files) {
            String text = Files.readString(file);
            Object plain = PlainYaml.read(text);
            if (plain != PlainYaml.DECLINED) {
                assertEquals(ConfigFile.snakeYaml(text, file.toString()), plain, file.toString());
            }
            String name = PROJECT.relativize(file).toString();
            if (name.startsWith("agent/src/main/resources/") || name.startsWith("src/rules/") || name.startsWith("bench/rules/")) {
                assertNotSame(PlainYaml.DECLINED, plain, name + " should take the fast path");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "a: b", "a: b\nc: d", "a:\n  b: c", "a:\n- b\n- c", "a:\n  - b\n  - c", "- a\n- b", "- - a\n  - b\n- c",
        "- a: b\n  c: d\n- e: f", "-   a: b\n    c: d", "a: {b: c, d: [e, f]}", "a: [ 'b, c', \"d\" ]", "a: {}", "a: []",
        "a: 'it''s'", "a: it's", "a: b # comment", "a: b#c", "# only a comment", "", "a:", "a: ~", "a: null", "a: Null",
        "a: yes", "a: No", "a: on", "a: OFF", "a: true", "a: y", "a: n", "a: 0", "a: -0", "a: 7", "a: -12", "a: 012",
        "a: 0x1f", "a: 1_000", "a: 1.5", "a: .5", "a: 1e3", "a: .inf", "a: .NaN", "a: 2001-12-14", "a: 1:30",
        "a: 2147483647", "a: 2147483648", "a: 9223372036854775807", "a: 9223372036854775808", "a: -2147483649",
        "a: http://host:80/x?y=z#f", "a: { url: http://host:80/x }", "a: b: c", "a: &x b", "a: *x", "a: !!str 5",
        "a: |\n  text", "a: >\n  text", "a: b\n  c", "a: [b,\n  c]", "a: \"b\\nc\"", "a: 'b", "a: b\na: c",
        "a: {b: c, b: d}", "? a\n: b", "<<: {a: b}", "a: =", "a: -", "a: - b", "a: -b", "a: +1", "a b: c",
        "a   : b", "a:b", "a: b, c", "a: b]", "a: [b]c", "a: [b, ]", "a: {b: c, }", "a: {b}", "a: {b: }", "a: [a[b]]",
        "a: {b: [c, {d: e}]}", "  a: b\n  c: d", "a:\n    b: c\n    d: e\nf: g", "a:\n  b:\n    c: d\n  e: f",
        "a: 'b # c'", "a: b 'c # d'", "a: \"b\" # c", "a: 'b''c' # d", "---\na: b", "a: b\n...", "%YAML 1.1\n---\na: b",
        "a: b\r\nc: d", "a:\tb", "\uFEFFa: b", "a: caf\u00e9", "a: ü: b", "- a\nb: c", "a: b\n - c", "a: [b, c] d",
        "a: 'b' c", "a: ''", "a: \"\"", "'a': b", "\"a\": b", "a: -1\nb: --1", "rules:\n  - class: x.Y$Z\n    labels: { k: arg0.f() }"})
    void aDocumentIsReadAsSnakeYamlReadsItOrDeclined(String text) {
        agree(text);
    }

    @Test
    void theFilesOfTheAgentsFormatAreNotDeclined() {
        for (String text : List.of("a: b", "a:\n- b: c\n  d: [e, 'f g']", "a: {b: c, d: 1}", "a: 'x: y # z'", "a: -3", "a:")) {
            assertNotSame(PlainYaml.DECLINED, PlainYaml.read(text), text);
        }
        for (String text : List.of("a: 1.5", "a: 012", "a: &x b", "a: |\n b", "a: b\na: c", "a: \"b\\n\"", "a: [b,\n c]")) {
            assertSame(PlainYaml.DECLINED, PlainYaml.read(text), text);
        }
    }

    /** Random documents of the characters that matter to YAML: whatever the fast reader accepts, SnakeYAML reads the same. */
    @Test
    void randomDocumentsAreReadAsSnakeYamlReadsThemOrDeclined() {
        Random random = new Random(20261121);
        int accepted = 0;
        for (int i = 0; i < 20_000; i++) {
            String text = document(random, 0);
            if (agree(text)) {
                accepted++;
            }
        }
        assertTrue(accepted > 2_000, "the fast reader accepted only " + accepted + " of 20,000 documents");
    }

    /** Whether the fast reader accepted the text, having given what SnakeYAML gives. */
    private static boolean agree(String text) {
        Object plain = PlainYaml.read(text);
        if (plain == PlainYaml.DECLINED) {
            return false;
        }
        try {
            assertEquals(ConfigFile.snakeYaml(text, "test"), plain, () -> "for the document:\n" + text);
        } catch (ConfigException refused) {
            fail("SnakeYAML refuses what the fast reader read as " + plain + ": " + refused.getMessage() + "\n" + text);
        }
        return true;
    }

    private static final String[] TAME = {"a", "b", "task_type", "arg0.getTaskDefName()", "x.Y$Z", "http://h:80/p", "yes",
        "null", "~", "12", "-7", "0", "Off", "a b", "it's", "'q r'"};
    private static final String[] TRICKY = {"3.5", "012", "it's", "a b", "a: b", "a,b", "a#b", "a #b", "[a]", "{a: b}", "-", "- a",
        "'q'", "'q''r'", "\"d\"", "&x", "*x", "!t", "|", ">", "?", ":", "%", "@", "`", ".inf", "<<", "=", "+1", "2001-12-14",
        "1_000", "1:30", "0x10", "caf\u00e9", "", " "};

    private static String document(Random random, int depth) {
        int shape = random.nextInt(depth == 0 ? 3 : 5);
        if (shape == 0 || depth > 3) {
            return mapping(random, depth);
        }
        if (shape == 1) {
            return sequence(random, depth);
        }
        return mapping(random, depth);
    }

    private static String mapping(Random random, int depth) {
        StringBuilder text = new StringBuilder();
        String indent = " ".repeat(depth * 2);
        int entries = 1 + random.nextInt(3);
        for (int i = 0; i < entries; i++) {
            text.append(indent).append(word(random)).append(random.nextInt(8) == 0 ? " :" : ":");
            text.append(value(random, depth));
        }
        return text.toString();
    }

    private static String sequence(Random random, int depth) {
        StringBuilder text = new StringBuilder();
        String indent = " ".repeat(depth * 2);
        int entries = 1 + random.nextInt(3);
        for (int i = 0; i < entries; i++) {
            text.append(indent).append("-").append(value(random, depth));
        }
        return text.toString();
    }

    /** What follows a key's colon or a dash: a value on the line, or nested lines. */
    private static String value(Random random, int depth) {
        int kind = random.nextInt(6);
        if (kind == 0 && depth < 3) {
            return "\n" + (random.nextBoolean() ? mapping(random, depth + 1) : sequence(random, depth + 1));
        }
        String value = kind == 1 ? flow(random, 0) : word(random);
        String comment = random.nextInt(6) == 0 ? (random.nextBoolean() ? " # c" : "#c") : "";
        return " ".repeat(random.nextInt(3)) + value + comment + "\n";
    }

    private static String flow(Random random, int depth) {
        if (depth > 2 || random.nextInt(3) == 0) {
            return word(random);
        }
        boolean map = random.nextBoolean();
        StringBuilder text = new StringBuilder(map ? "{" : "[");
        int entries = random.nextInt(3);
        for (int i = 0; i < entries; i++) {
            text.append(i == 0 ? (random.nextBoolean() ? " " : "") : random.nextBoolean() ? ", " : ",");
            text.append(map ? word(random) + (random.nextBoolean() ? ": " : ":") : "").append(flow(random, depth + 1));
        }
        return text.append(random.nextInt(5) == 0 ? ", " : random.nextBoolean() ? " " : "").append(map ? "}" : "]").toString();
    }

    /** Mostly words of the agent's own files; one in eight of the characters YAML treats specially. */
    private static String word(Random random) {
        String[] words = random.nextInt(8) == 0 ? TRICKY : TAME;
        String word = words[random.nextInt(words.length)];
        return random.nextInt(4) == 0 ? word + TRICKY[random.nextInt(TRICKY.length)] : word;
    }
}
