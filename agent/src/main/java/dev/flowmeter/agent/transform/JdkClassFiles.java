package dev.flowmeter.agent.transform;

import java.io.IOException;
import java.lang.module.ModuleReader;
import java.lang.module.ModuleReference;
import java.lang.module.ResolvedModule;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The class files of the JDK's own modules (those the bootstrap and platform class loaders define),
 * read from the run-time image through the modules' readers.
 *
 * <p>Why: the transformer reads the class files of JDK supertypes that are not loaded yet, a hundred
 * and more while an application starts, and a class loader's {@code getResourceAsStream} makes a
 * jrt: URL and a connection for each. Besides its own cost, that many more URLs makes the JIT
 * compile {@code URL}'s constructor with C2, about 150 ms of a compiler thread on a small machine,
 * which an application that only loads classes does not need.
 */
final class JdkClassFiles {

    /** By package, in internal form (with slashes). */
    private final Map<String, ModuleReference> modules = new HashMap<>();
    private final Map<ModuleReference, ModuleReader> readers = new ConcurrentHashMap<>();

    JdkClassFiles() {
        ClassLoader platform = ClassLoader.getPlatformClassLoader();
        for (Module module : ModuleLayer.boot().modules()) {
            if (module.getClassLoader() == null || module.getClassLoader() == platform) {
                ModuleLayer.boot().configuration().findModule(module.getName()).map(ResolvedModule::reference)
                        .ifPresent(reference -> module.getPackages().forEach(pkg -> modules.put(pkg.replace('.', '/'), reference)));
            }
        }
    }

    /** The class file of a type by internal name, or null where no module of the JDK's holds its package. */
    byte[] read(String internalName) {
        int slash = internalName.lastIndexOf('/');
        ModuleReference module = slash < 0 ? null : modules.get(internalName.substring(0, slash));
        if (module == null) {
            return null;
        }
        try {
            ModuleReader reader = readers.computeIfAbsent(module, JdkClassFiles::open);
            Optional<ByteBuffer> found = reader == null ? Optional.empty() : reader.read(internalName + ".class");
            if (found.isEmpty()) {
                return null;
            }
            ByteBuffer buffer = found.get();
            byte[] classFile = new byte[buffer.remaining()];
            buffer.get(classFile);
            reader.release(buffer);
            return classFile;
        } catch (IOException | RuntimeException unreadable) {
            return null;
        }
    }

    private static ModuleReader open(ModuleReference module) {
        try {
            return module.open();
        } catch (IOException unreadable) {
            return null;
        }
    }
}
