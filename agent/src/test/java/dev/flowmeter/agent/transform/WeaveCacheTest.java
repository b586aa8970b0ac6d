package dev.flowmeter.agent.transform;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flowmeter.agent.probe.RuleState;
import dev.flowmeter.agent.rules.Rule;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Woven classes kept between starts: what is taken again, and what is refused or missed. */
class WeaveCacheTest {

    private static final String ORDERS = WeaverTest.Orders.class.getName().replace('.', '/');

    @Test
    void aClassWovenBeforeIsTakenFromTheCacheWithItsMethodsAndProbes(@TempDir Path directory) throws IOException {
        byte[] original = classFile();
        WeaveCache cache = open(directory);
        RuleIndex.Entry greet = greet();
        byte[] woven = cache.weave(loader(), ORDERS, original, List.of(greet));
        assertNotNull(woven);

        // a new start: the same rule with the same id, its probe not made yet
        RuleIndex.Entry again = new RuleIndex.Entry(new RuleState(greet.state.rule()), null, WeaverTest.Recorder::new,
                greet.reservedId());
        Object entry = onlyEntry(directory);
        byte[] cached = open(directory).weave(loader(), ORDERS, original, List.of(again));
        assertArrayEquals(woven, cached);
        assertEquals(entry, onlyEntry(directory), "a hit: the entry was not written again");
        assertEquals(1, again.state.matchedCount(), "the methods woven are reported as at a weave");
        assertTrue(again.probeId() >= 0);
    }

    @Test
    void aDamagedEntryIsWovenAgainAndAClassNoRuleWeavesIsRemembered(@TempDir Path directory) throws IOException {
        byte[] original = classFile();
        RuleIndex.Entry greet = greet();
        byte[] woven = open(directory).weave(loader(), ORDERS, original, List.of(greet));
        try (Stream<Path> entries = Files.list(directory)) {
            for (Path entry : (Iterable<Path>) entries::iterator) {
                byte[] bytes = Files.readAllBytes(entry);
                bytes[bytes.length / 2] ^= 0x55;
                Files.write(entry, bytes);
            }
        }
        assertArrayEquals(woven, open(directory).weave(loader(), ORDERS, original, List.of(greet)));

        List<String> problems = new ArrayList<>();
        WeaveCache cache = WeaveCache.open(directory.toString(), problems);
        assertNull(cache.weave(loader(), ORDERS, original, List.of(rule("absent"))), "a class no rule weaves");
        assertNull(cache.weave(loader(), ORDERS, original, List.of(rule("absent"))), "and so it stays, from the cache");
    }

    @Test
    void aDirectoryOthersCanWriteIsRefused(@TempDir Path directory) throws IOException {
        Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxrwxrwx"));
        List<String> problems = new ArrayList<>();
        assertNull(WeaveCache.open(directory.toString(), problems));
        assertEquals(1, problems.size());
        assertTrue(problems.get(0).contains("is writable by others (rwxrwxrwx)"), problems.get(0));
        assertNull(WeaveCache.open("off", problems));
        assertEquals(1, problems.size(), "off is no problem");
    }

    /** The file key (device and inode) of the one entry: a new one where it was written again. */
    private static Object onlyEntry(Path directory) throws IOException {
        try (Stream<Path> entries = Files.list(directory)) {
            List<Path> all = entries.collect(java.util.stream.Collectors.toList());
            assertEquals(1, all.size(), all.toString());
            return Files.readAttributes(all.get(0), java.nio.file.attribute.BasicFileAttributes.class).fileKey();
        }
    }

    private static WeaveCache open(Path directory) {
        List<String> problems = new ArrayList<>();
        WeaveCache cache = WeaveCache.open(directory.toString(), problems);
        assertEquals(List.of(), problems);
        return cache;
    }

    private static RuleIndex.Entry greet() {
        return rule("greet");
    }

    private static RuleIndex.Entry rule(String method) {
        Rule rule = Rule.method(method, WeaverTest.Orders.class.getName(), method, null, 1, 0, false, true, null, List.of());
        return new RuleIndex.Entry(new RuleState(rule), null, WeaverTest.Recorder::new);
    }

    private static ClassLoader loader() {
        return WeaveCacheTest.class.getClassLoader();
    }

    private static byte[] classFile() throws IOException {
        try (InputStream in = loader().getResourceAsStream(ORDERS + ".class")) {
            return in.readAllBytes();
        }
    }
}
