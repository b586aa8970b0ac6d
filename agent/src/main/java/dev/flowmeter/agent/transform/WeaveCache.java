package dev.flowmeter.agent.transform;

import dev.flowmeter.agent.config.AgentConfig;
import dev.flowmeter.agent.rules.Rule;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;

/**
 * Woven class files kept on disk from one start of the application to the next, so that a JVM that
 * starts again with the same agent jar and rules never loads ByteBuddy: the same class file woven
 * with the same rules gives the same bytes (the probe ids are reserved in the order of the rules).
 *
 * <p>Why: ByteBuddy's first weave costs a JVM a few hundred milliseconds of CPU while it starts
 * (class loading and cold code, see the README's "How it works"); a hit costs a file read.
 *
 * <p>An entry holds what it was made from, the agent jar's identity, the rules' bindings and the
 * original class file, and is used only where all of them are equal to the byte, so a hash collision
 * or a changed jar gives a miss, never a wrong class. The directory must belong to the user running
 * the JVM and be writable by nobody else, as the classes read from it run in the application.
 * Anything that goes wrong (unreadable, full, refused) gives a miss and the class is woven as usual.
 */
final class WeaveCache {

    private static final int MAGIC = 0x464D5743; // FMWC
    private static final int FORMAT = 1;
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");

    private final Path directory;
    private final String agentIdentity;

    private WeaveCache(Path directory, String agentIdentity) {
        this.directory = directory;
        this.agentIdentity = agentIdentity;
    }

    /**
     * The cache the weave_cache setting names ({@code on}, {@code off} or a directory), for this agent
     * jar; null where there is none, with the reason in {@code problems} where it cannot serve.
     */
    static WeaveCache open(String setting, List<String> problems) {
        if (setting.equals(AgentConfig.OFF)) {
            return null;
        }
        Path directory = null;
        try {
            directory = setting.equals("on") ? Path.of(System.getProperty("java.io.tmpdir"),
                    "flowmeter-cache-" + System.getProperty("user.name")) : Path.of(setting);
            Path agentJar = Path.of(WeaveCache.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (!Files.isDirectory(directory)) {
                createPrivately(directory);
            }
            String refused = unsafe(directory);
            if (refused != null) {
                problems.add("the weave cache " + directory + " " + refused
                        + "; classes are woven at each start. Choose a directory of your own with weave_cache=PATH, or weave_cache=off");
                return null;
            }
            String identity = agentJar.toAbsolutePath() + " " + Files.size(agentJar) + " "
                    + Files.getLastModifiedTime(agentJar).toMillis();
            return new WeaveCache(directory, identity);
        } catch (IOException | URISyntaxException | RuntimeException unusable) {
            problems.add("the weave cache " + (directory != null ? directory : setting) + " cannot be used (" + unusable
                    + "); classes are woven at each start. Choose another with weave_cache=PATH, or weave_cache=off");
            return null;
        }
    }

    private static void createPrivately(Path directory) throws IOException {
        try {
            if (Files.getFileAttributeView(directory.getParent(), PosixFileAttributeView.class) != null) {
                Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            } else {
                Files.createDirectories(directory);
            }
        } catch (FileAlreadyExistsException raced) {
            // another JVM made it: checked below like any other
        }
    }

    /** Why a directory is not safe to load classes from, or null. */
    private static String unsafe(Path directory) throws IOException {
        UserPrincipal user = directory.getFileSystem().getUserPrincipalLookupService()
                .lookupPrincipalByName(System.getProperty("user.name"));
        if (!Files.getOwner(directory).equals(user)) {
            return "belongs to " + Files.getOwner(directory).getName() + ", not to " + user.getName();
        }
        PosixFileAttributeView posix = Files.getFileAttributeView(directory, PosixFileAttributeView.class);
        if (posix != null) {
            Set<PosixFilePermission> others = EnumSet.copyOf(posix.readAttributes().permissions());
            others.retainAll(Set.of(PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_WRITE));
            if (!others.isEmpty()) {
                return "is writable by others (" + PosixFilePermissions.toString(posix.readAttributes().permissions()) + ")";
            }
        }
        return null;
    }

    /**
     * The class woven with the rules, from the cache where it was woven before, else by the
     * {@link Weaver}, and kept; null when no method matched.
     */
    byte[] weave(ClassLoader loader, String className, byte[] classFile, List<RuleIndex.Entry> rules) {
        byte[] key = key(rules);
        Path file = directory.resolve(fileName(className, key, classFile));
        byte[] cached = read(file, key, classFile, rules, className.replace('/', '.'));
        if (cached != null) {
            return cached.length == 0 ? null : cached;
        }
        List<Weaver.Match> matched = new ArrayList<>();
        byte[] woven = Weaver.weave(loader, className, classFile, rules, matched);
        if (rules.stream().noneMatch(RuleIndex.Entry::isSkipped)) {
            // a rule skipped now (its metric taken by another, say) may not be at the next start
            write(file, key, classFile, woven, matched);
        }
        return woven;
    }

    /** What the woven bytes depend on besides the class file: the agent, and each rule's matching and binding. */
    private byte[] key(List<RuleIndex.Entry> rules) {
        StringBuilder key = new StringBuilder(agentIdentity);
        for (RuleIndex.Entry entry : rules) {
            Rule rule = entry.state.rule();
            key.append('\n').append(entry.reservedId()).append(' ').append(rule.typeName()).append(' ')
                    .append(rule.onConstructors() ? "<init>" : rule.methodName()).append(' ').append(rule.parameterCount())
                    .append(' ').append(rule.parameterTypes()).append(' ').append(rule.argumentIndex()).append(' ')
                    .append(rule.allArguments()).append(' ').append(rule.readsReturn());
        }
        return key.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String fileName(String className, byte[] key, byte[] classFile) {
        ByteArrayOutputStream named = new ByteArrayOutputStream();
        for (byte[] part : List.of(className.getBytes(StandardCharsets.UTF_8), key, classFile)) {
            named.writeBytes(part);
        }
        return Long.toHexString(checksum(named.toByteArray(), named.size())) + ".woven";
    }

    /**
     * The woven bytes of an entry made from the same key and class file (empty for a class that no
     * rule wove), once every rule it wove with has its probe; null for a miss.
     */
    private static byte[] read(Path file, byte[] key, byte[] classFile, List<RuleIndex.Entry> rules, String binaryName) {
        byte[] entry;
        try {
            entry = Files.readAllBytes(file);
        } catch (IOException | RuntimeException miss) {
            return null;
        }
        if (entry.length < Long.BYTES || checksum(entry, entry.length - Long.BYTES)
                != ByteBuffer.wrap(entry, entry.length - Long.BYTES, Long.BYTES).getLong()) {
            return null; // damaged: woven bytes that do not verify must never reach the JVM
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(entry))) {
            if (in.readInt() != MAGIC || in.readInt() != FORMAT || !Arrays.equals(key, bytes(in))
                    || !Arrays.equals(classFile, bytes(in))) {
                return null;
            }
            byte[] woven = bytes(in);
            int count = in.readInt();
            List<Weaver.Match> matched = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                int rule = in.readInt();
                if (rule < 0 || rule >= rules.size()) {
                    return null;
                }
                matched.add(new Weaver.Match(rule, in.readUTF()));
            }
            for (Weaver.Match match : matched) {
                if (!match.record(rules, binaryName)) {
                    return null; // a rule skipped now: weave without it
                }
            }
            return woven;
        } catch (IOException | RuntimeException damaged) {
            return null;
        }
    }

    /** Two CRCs of the first {@code length} bytes, which a damaged entry fails. */
    private static long checksum(byte[] bytes, int length) {
        CRC32C first = new CRC32C();
        CRC32 second = new CRC32();
        first.update(bytes, 0, length);
        second.update(bytes, 0, length);
        return first.getValue() << 32 | second.getValue();
    }

    private static byte[] bytes(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 0 || length > 64 << 20) {
            throw new IOException("not an entry");
        }
        byte[] bytes = new byte[length];
        in.readFully(bytes);
        return bytes;
    }

    /** Keeps an entry: written beside it and moved into place, so that no JVM reads half of one. */
    private void write(Path file, byte[] key, byte[] classFile, byte[] woven, List<Weaver.Match> matched) {
        try {
            ByteArrayOutputStream buffer = new ByteArrayOutputStream(classFile.length * 2 + key.length + 64);
            DataOutputStream out = new DataOutputStream(buffer);
            out.writeInt(MAGIC);
            out.writeInt(FORMAT);
            for (byte[] part : List.of(key, classFile, woven == null ? new byte[0] : woven)) {
                out.writeInt(part.length);
                out.write(part);
            }
            out.writeInt(matched.size());
            for (Weaver.Match match : matched) {
                out.writeInt(match.rule);
                out.writeUTF(match.method);
            }
            out.writeLong(checksum(buffer.toByteArray(), buffer.size()));
            Path temporary = Files.createTempFile(directory, "entry", ".tmp");
            try (OutputStream stream = Files.newOutputStream(temporary)) {
                buffer.writeTo(stream);
            }
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException unwritable) {
            // the next start weaves the class again
        }
    }
}
