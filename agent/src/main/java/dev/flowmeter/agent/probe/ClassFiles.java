package dev.flowmeter.agent.probe;

import java.io.IOException;
import java.io.InputStream;

/**
 * Reads class files through the class loader that would load them, without loading them: what a
 * transformer may do, where loading a class could recurse into the transformer or run its static
 * initialiser too early.
 */
final class ClassFiles {

    private ClassFiles() {}

    /**
     * Reads a class file of the JDK's and one of the agent's own jar, so that the classes that do the
     * reading (the jrt: and jar: URL handlers) are loaded before the agent's transformer is in place.
     * Were one of them still to load, the transformer, reading the class files of its supertypes,
     * would need the very class that is loading: a ClassCircularityError, which the JVM keeps, and
     * the JDK's reading of its own resources broken for the application too.
     */
    static void loadReaders() {
        read(null, "java/lang/Object");
        read(ClassFiles.class.getClassLoader(), ClassFiles.class.getName().replace('.', '/'));
    }

    /** The class file of a type by internal name, or null where the loader has none. */
    static byte[] read(ClassLoader loader, String internalName) {
        try (InputStream in = reader(loader).getResourceAsStream(internalName + ".class")) {
            return in == null ? null : in.readAllBytes();
        } catch (IOException unreadable) {
            return null;
        }
    }

    /**
     * Where to look up the resources of a class loader: the bootstrap loader (null) has no object,
     * and the platform loader finds its classes too.
     */
    static ClassLoader reader(ClassLoader loader) {
        return loader == null ? ClassLoader.getPlatformClassLoader() : loader;
    }

    /** The header of a type by internal name, or null where the loader has no readable class file for it. */
    static ClassHeader header(ClassLoader loader, String internalName) {
        byte[] classFile = read(loader, internalName);
        try {
            return classFile == null ? null : ClassHeader.parse(classFile);
        } catch (IllegalArgumentException unreadable) {
            return null;
        }
    }
}
