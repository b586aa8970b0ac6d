package dev.flowmeter.agent.transform;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.zip.ZipFile;

/**
 * The application class loader's class path, read directly: the jars and directories of
 * {@code java.class.path}, and the jars their manifests' {@code Class-Path} names, in the order the
 * JDK's loader searches them.
 *
 * <p>Why: the transformer reads the class files of supertypes that are not loaded yet, hundreds of
 * them while an application starts, and {@code ClassLoader#getResourceAsStream} costs about 200 µs a
 * file there (a URL, a connection and a stream for each); an entry of an open jar costs a hash
 * lookup and the inflating. The jars are opened when the agent starts, not while a class loads, so
 * that no lock is held around opening one; the JDK shares an open jar's index between its readers,
 * so the class loader opening them again later costs little. A name found nowhere here is left to
 * the class loader, which may also find it in a named module.
 */
final class ClassPath {

    /** Jars ({@link JarFile}) and directories ({@link Path}), in search order. */
    private final List<Object> entries = new ArrayList<>();
    /** Every path added, so that manifests naming each other add each jar once. */
    private final Set<Path> added = new HashSet<>();

    ClassPath(String classPath) {
        for (String entry : classPath.split(File.pathSeparator)) {
            if (!entry.isEmpty()) {
                add(Path.of(entry).toAbsolutePath());
            }
        }
    }

    /** The system class loader's class path, when that loader is the JDK's own; else null. */
    static ClassPath ofSystemLoader() {
        ClassLoader system = ClassLoader.getSystemClassLoader();
        if (!system.getClass().getName().equals("jdk.internal.loader.ClassLoaders$AppClassLoader")) {
            return null;
        }
        return new ClassPath(System.getProperty("java.class.path", ""));
    }

    private void add(Path path) {
        if (!added.add(path)) {
            return;
        }
        if (Files.isDirectory(path)) {
            entries.add(path);
        } else if (Files.isRegularFile(path)) {
            try {
                JarFile jar = new JarFile(path.toFile(), true, ZipFile.OPEN_READ, JarFile.runtimeVersion());
                entries.add(jar);
                Manifest manifest = jar.getManifest();
                String classPath = manifest == null ? null : manifest.getMainAttributes().getValue(Attributes.Name.CLASS_PATH);
                if (classPath != null) {
                    URI base = path.toUri();
                    for (String relative : classPath.trim().split("\\s+")) {
                        URI resolved = base.resolve(relative);
                        if ("file".equals(resolved.getScheme())) {
                            add(Path.of(resolved).normalize());
                        }
                    }
                }
            } catch (IOException | RuntimeException unreadable) {
                // not a jar: the class loader skips it too
            }
        }
    }

    /** The bytes of a resource, or null where no entry of the class path holds it. */
    byte[] read(String resource) {
        for (Object entry : entries) {
            try {
                if (entry instanceof JarFile) {
                    JarFile jar = (JarFile) entry;
                    JarEntry found = jar.getJarEntry(resource);
                    if (found != null) {
                        try (InputStream in = jar.getInputStream(found)) {
                            return in.readAllBytes();
                        }
                    }
                } else {
                    Path file = ((Path) entry).resolve(resource);
                    if (Files.isRegularFile(file)) {
                        return Files.readAllBytes(file);
                    }
                }
            } catch (IOException | RuntimeException unreadable) {
                return null; // the class loader will say what it finds
            }
        }
        return null;
    }
}
