package dev.flowmeter.agent;

import dev.flowmeter.agent.bootstrap.OutOfLine;
import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.Method;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.ProtectionDomain;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Puts the small API that inlined advice calls ({@code dev.flowmeter.agent.bootstrap}) into the bootstrap
 * class loader, where classes of every loader, the JDK's included, can link against it. The rest of
 * the agent stays in the system class loader.
 *
 * <p>The classes are defined with the JDK's internal {@code Unsafe#defineClass}, which the agent's
 * {@link Instrumentation} may open to itself: appending a jar to the bootstrap search path instead
 * makes the JVM turn off class data sharing for application classes and print a warning.
 */
final class BootstrapInjector {

    private static final String PACKAGE = "dev/flowmeter/agent/bootstrap/";
    /** The package's classes, which extend and implement only the JDK's; its {@link OutOfLine} is for the build only. */
    static final List<String> CLASSES = List.of("Probe", "Probes", "Probes$Unset");
    private static final byte[] OUT_OF_LINE = "Ldev/flowmeter/agent/bootstrap/OutOfLine;".getBytes(StandardCharsets.UTF_8);
    private static final byte[] DONT_INLINE = "Ljdk/internal/vm/annotation/DontInline;".getBytes(StandardCharsets.UTF_8);

    private BootstrapInjector() {}

    static void inject(Instrumentation instrumentation) throws IOException, URISyntaxException, ReflectiveOperationException {
        java.io.File agentJar = new java.io.File(
                AgentEntry.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        if (!agentJar.isFile() || alreadyInBootstrap()) {
            return; // running from classes in a build, or attached a second time
        }
        instrumentation.redefineModule(Object.class.getModule(), Set.of(), Map.of(),
                Map.of("jdk.internal.misc", Set.of(BootstrapInjector.class.getModule())), Set.of(), Map.of());
        Class<?> unsafeType = Class.forName("jdk.internal.misc.Unsafe");
        Object unsafe = unsafeType.getMethod("getUnsafe").invoke(null);
        Method define = unsafeType.getMethod("defineClass", String.class, byte[].class, int.class, int.class,
                ClassLoader.class, ProtectionDomain.class);
        for (String name : CLASSES) {
            byte[] type;
            try (InputStream in = BootstrapInjector.class.getResourceAsStream("/" + PACKAGE + name + ".class")) {
                type = withJdkAnnotations(in.readAllBytes());
            }
            define.invoke(unsafe, null, type, 0, type.length, null, null);
        }
    }

    /**
     * The class with {@link OutOfLine} replaced by the JDK's {@code DontInline}, which only JDK code may
     * name. A class file names an annotation's type in one CONSTANT_Utf8 entry of its constant pool
     * (a tag, a two-byte length, the bytes), and refers to entries by index, never by offset: the entry
     * is replaced whole, and nothing else in the file changes.
     */
    static byte[] withJdkAnnotations(byte[] type) {
        byte[] entry = utf8Entry(OUT_OF_LINE);
        int at = indexOf(type, entry);
        if (at < 0) {
            return type;
        }
        byte[] replacement = utf8Entry(DONT_INLINE);
        byte[] patched = new byte[type.length - entry.length + replacement.length];
        System.arraycopy(type, 0, patched, 0, at);
        System.arraycopy(replacement, 0, patched, at, replacement.length);
        System.arraycopy(type, at + entry.length, patched, at + replacement.length, type.length - at - entry.length);
        return patched;
    }

    private static byte[] utf8Entry(byte[] text) {
        byte[] entry = new byte[text.length + 3];
        entry[0] = 1; // CONSTANT_Utf8
        entry[1] = (byte) (text.length >> 8);
        entry[2] = (byte) text.length;
        System.arraycopy(text, 0, entry, 3, text.length);
        return entry;
    }

    private static int indexOf(byte[] bytes, byte[] sought) {
        outer:
        for (int i = 0; i + sought.length <= bytes.length; i++) {
            for (int j = 0; j < sought.length; j++) {
                if (bytes[i + j] != sought[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
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
