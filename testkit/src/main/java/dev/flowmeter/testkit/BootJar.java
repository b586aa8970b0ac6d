package dev.flowmeter.testkit;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipFile;

/** A Spring Boot application's repackaged jar, as the fat-jar tests start it. */
public final class BootJar {

    private BootJar() {}

    /**
     * Fails unless each of {@code libraries} (a regular expression of a jar name's start, such as
     * {@code "quartz-"}) is a nested jar under BOOT-INF/lib, and no class of {@code packageDir} (such as
     * {@code "org/quartz/"}) is unpacked at the jar's top level.
     */
    public static void assertNested(Path jar, String packageDir, List<String> libraries) throws IOException {
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            for (String library : libraries) {
                if (zip.stream().noneMatch(entry -> entry.getName().matches("BOOT-INF/lib/" + library + ".*\\.jar"))) {
                    throw new AssertionError(library + " is not a nested jar of " + jar);
                }
            }
            if (zip.stream().anyMatch(entry -> entry.getName().startsWith(packageDir))) {
                throw new AssertionError(packageDir + " is unpacked in " + jar);
            }
        }
    }
}
