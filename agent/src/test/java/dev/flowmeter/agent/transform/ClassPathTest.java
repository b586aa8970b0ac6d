package dev.flowmeter.agent.transform;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The class path read as the JDK's application class loader searches it. */
class ClassPathTest {

    @TempDir
    Path dir;

    @Test
    void theFirstEntryHoldingAResourceWinsAndManifestClassPathsFollowTheirJar() throws IOException {
        Path classes = Files.createDirectories(dir.resolve("classes/a"));
        Files.writeString(classes.resolve("Only.class"), "directory");
        jar("lib/second.jar", null, "a/Shared.class", "second", "a/Late.class", "second");
        jar("first.jar", "lib/second.jar first.jar", "a/Shared.class", "first");
        jar("third.jar", null, "a/Late.class", "third", "a/Third.class", "third");

        ClassPath path = new ClassPath(String.join(File.pathSeparator, dir.resolve("classes").toString(),
                dir.resolve("first.jar").toString(), dir.resolve("missing.jar").toString(), dir.resolve("third.jar").toString()));

        assertArrayEquals(bytes("directory"), path.read("a/Only.class"));
        assertArrayEquals(bytes("first"), path.read("a/Shared.class"));
        // second.jar, named by first.jar's manifest, comes before third.jar, as the JDK searches
        assertArrayEquals(bytes("second"), path.read("a/Late.class"));
        assertArrayEquals(bytes("third"), path.read("a/Third.class"));
        assertNull(path.read("a/Absent.class"));
    }

    private void jar(String name, String classPath, String... entries) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        if (classPath != null) {
            manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH, classPath);
        }
        Path jar = dir.resolve(name);
        Files.createDirectories(jar.getParent());
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file, manifest)) {
            for (int i = 0; i < entries.length; i += 2) {
                out.putNextEntry(new JarEntry(entries[i]));
                out.write(bytes(entries[i + 1]));
                out.closeEntry();
            }
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
