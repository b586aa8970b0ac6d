package dev.flowmeter.agent;

import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import net.bytebuddy.dynamic.loading.ClassInjector;

/**
 * Puts the small API that inlined advice calls ({@code dev.flowmeter.agent.bootstrap}) into the bootstrap
 * class loader, where classes of every loader, the JDK's included, can link against it. The rest of
 * the agent stays in the system class loader.
 *
 * <p>The classes are defined directly where the JVM allows it: appending a jar to the bootstrap
 * search path instead makes JDK 17 turn off class data sharing for application classes (slower
 * start-up) and print a warning. The append is used where defining would warn instead.
 */
final class BootstrapInjector {

    private static final String PACKAGE = "dev/flowmeter/agent/bootstrap/";
    /** From JDK 24 on, sun.misc.Unsafe prints deprecation warnings, and CDS survives the append. */
    private static final int UNSAFE_WARNS_FROM = 24;

    private BootstrapInjector() {}

    static void inject(Instrumentation instrumentation) throws IOException, URISyntaxException {
        java.io.File agentJar = new java.io.File(
                AgentEntry.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        if (!agentJar.isFile() || alreadyInBootstrap()) {
            return; // running from classes in a build, or attached a second time
        }
        Map<String, byte[]> classes = bootstrapClasses(agentJar);
        if (Runtime.version().feature() < UNSAFE_WARNS_FROM) {
            ClassInjector.UsingUnsafe.Factory unsafe = ClassInjector.UsingUnsafe.Factory.resolve(instrumentation);
            if (unsafe.isAvailable()) {
                unsafe.make(null).injectRaw(classes);
                return;
            }
        }
        instrumentation.appendToBootstrapClassLoaderSearch(jarOf(classes));
    }

    private static Map<String, byte[]> bootstrapClasses(java.io.File agentJar) throws IOException {
        Map<String, byte[]> classes = new LinkedHashMap<>();
        try (JarFile agent = new JarFile(agentJar)) {
            Enumeration<JarEntry> entries = agent.entries();
            while (entries.hasMoreElements()) {
                JarEntry entry = entries.nextElement();
                String name = entry.getName();
                if (name.startsWith(PACKAGE) && name.endsWith(".class")) {
                    try (InputStream in = agent.getInputStream(entry)) {
                        classes.put(name.substring(0, name.length() - ".class".length()).replace('/', '.'), in.readAllBytes());
                    }
                }
            }
        }
        return classes;
    }

    private static JarFile jarOf(Map<String, byte[]> classes) throws IOException {
        Path jar = Files.createTempFile("flowmeter-bootstrap", ".jar");
        jar.toFile().deleteOnExit();
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            for (Map.Entry<String, byte[]> type : classes.entrySet()) {
                out.putNextEntry(new JarEntry(type.getKey().replace('.', '/') + ".class"));
                out.write(type.getValue());
                out.closeEntry();
            }
        }
        return new JarFile(jar.toFile());
    }

    private static boolean alreadyInBootstrap() {
        try {
            Class.forName(PACKAGE.replace('/', '.') + "Probes", false, null);
            return true;
        } catch (ClassNotFoundException absent) {
            return false;
        }
    }
}
