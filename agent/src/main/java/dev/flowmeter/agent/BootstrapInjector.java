package dev.flowmeter.agent;

import dev.flowmeter.agent.bootstrap.OutOfLine;
import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.Method;
import java.net.URISyntaxException;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.objectweb.asm.AnnotationVisitor;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

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
    private static final String OUT_OF_LINE = Type.getDescriptor(OutOfLine.class);
    private static final String DONT_INLINE = "Ljdk/internal/vm/annotation/DontInline;";

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
        for (byte[] type : bootstrapClasses(agentJar)) {
            byte[] compiled = withJdkAnnotations(type);
            define.invoke(unsafe, null, compiled, 0, compiled.length, null, null);
        }
    }

    /** The class with {@link OutOfLine} replaced by the JDK's {@code DontInline}, which only JDK code may name. */
    private static byte[] withJdkAnnotations(byte[] type) {
        ClassWriter writer = new ClassWriter(0);
        new ClassReader(type).accept(new ClassVisitor(Opcodes.ASM9, writer) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                    String[] exceptions) {
                return new MethodVisitor(Opcodes.ASM9, super.visitMethod(access, name, descriptor, signature, exceptions)) {
                    @Override
                    public AnnotationVisitor visitAnnotation(String annotation, boolean visible) {
                        return super.visitAnnotation(OUT_OF_LINE.equals(annotation) ? DONT_INLINE : annotation, visible);
                    }
                };
            }
        }, 0);
        return writer.toByteArray();
    }

    /** The package's classes, which extend and implement only the JDK's: in any order. */
    private static List<byte[]> bootstrapClasses(java.io.File agentJar) throws IOException {
        List<byte[]> classes = new ArrayList<>();
        try (JarFile agent = new JarFile(agentJar)) {
            Enumeration<JarEntry> entries = agent.entries();
            while (entries.hasMoreElements()) {
                JarEntry entry = entries.nextElement();
                String name = entry.getName();
                if (name.startsWith(PACKAGE) && name.endsWith(".class") && !name.endsWith("/OutOfLine.class")) {
                    try (InputStream in = agent.getInputStream(entry)) {
                        classes.add(in.readAllBytes());
                    }
                }
            }
        }
        return classes;
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
