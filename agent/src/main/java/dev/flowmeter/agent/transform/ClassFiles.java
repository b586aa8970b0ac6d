package dev.flowmeter.agent.transform;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Path;

/**
 * Reads class files through the class loader that would load them, without loading them: what a
 * transformer may do, where loading a class could recurse into the transformer or run its static
 * initialiser too early.
 */
final class ClassFiles {

    /** Classes in java.* can only come from the JDK's own loaders, whichever loader names them. */
    static final String JDK_ONLY = "java/";
    private static final JdkClassFiles JDK = new JdkClassFiles();
    /** The system class loader's class path, read directly; null when that loader is not the JDK's own. */
    private static final ClassPath SYSTEM_CLASS_PATH = ClassPath.ofSystemLoader();

    private static boolean readersLoaded;

    private ClassFiles() {}

    /**
     * Reads a class file of the JDK's and one of the agent's own jar, through the class loaders, the
     * JDK's module readers and a {@link ClassPath}, so that the classes that do the reading (the jrt:
     * and jar: URL handlers, the run-time image's reader, the jar and file readers) are loaded before
     * the agent's transformer is in place.
     * Were one of them still to load, the transformer, reading the class files of its supertypes,
     * would need the very class that is loading: a ClassCircularityError, which the JVM keeps, and
     * the JDK's reading of its own resources broken for the application too.
     */
    static synchronized void loadReaders() {
        if (readersLoaded) {
            return;
        }
        readersLoaded = true;
        throughLoader(null, "java/lang/Object");
        JDK.read("java/lang/Object");
        throughLoader(ClassFiles.class.getClassLoader(), ClassFiles.class.getName().replace('.', '/'));
        try {
            String agent = Path.of(ClassFiles.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
            new ClassPath(agent + File.pathSeparator + System.getProperty("java.io.tmpdir"))
                    .read(ClassFiles.class.getName().replace('.', '/') + ".class");
        } catch (URISyntaxException | RuntimeException unusual) {
            // the application class loader's resources remain
        }
    }

    /** The class file of a type by internal name, or null where the loader has none. */
    static byte[] read(ClassLoader loader, String internalName) {
        byte[] found = readDirectly(loader, internalName);
        return found != null ? found : throughLoader(loader, internalName);
    }

    /** Whether a loader has the class file of a type by internal name: a lookup, where it cannot be read directly. */
    static boolean exists(ClassLoader loader, String internalName) {
        return readDirectly(loader, internalName) != null || reader(loader).getResource(internalName + ".class") != null;
    }

    /**
     * The class file from the JDK's module readers or the system class loader's class path, without
     * a URL; null where neither holds it for this loader, and the loader itself is to be asked.
     */
    private static byte[] readDirectly(ClassLoader loader, String internalName) {
        boolean jdkType = internalName.startsWith(JDK_ONLY);
        if (loader == null || loader == ClassLoader.getPlatformClassLoader() || jdkType) {
            byte[] found = JDK.read(internalName);
            if (found != null) {
                return found;
            }
        }
        return SYSTEM_CLASS_PATH != null && loader == ClassLoader.getSystemClassLoader() && !jdkType
                ? SYSTEM_CLASS_PATH.read(internalName + ".class") : null;
    }

    private static byte[] throughLoader(ClassLoader loader, String internalName) {
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
