package dev.flowmeter.agent.transform;

import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.isBridge;
import static net.bytebuddy.matcher.ElementMatchers.isNative;
import static net.bytebuddy.matcher.ElementMatchers.not;

import dev.flowmeter.agent.rules.Rule;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.bytebuddy.ClassFileVersion;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.dynamic.scaffold.TypeInitializer;
import net.bytebuddy.implementation.Implementation;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.pool.TypePool;
import net.bytebuddy.utility.OpenedClassReader;

/**
 * Inlines the rules' advice ({@link ProbeAdvice}) into the methods of a class that {@link RuleIndex}
 * picked out, with ByteBuddy's {@link Advice} applied as a method visitor on the class's own bytes:
 * the class is described by a {@link TypePool} over those bytes (and its class loader's class files,
 * read by {@link ClassFiles}, for anything else it asks about), its methods are matched with
 * ByteBuddy's element matchers, and the woven class keeps its shape (no new members), so classes
 * already loaded can be retransformed.
 *
 * <p>This is the only class, with {@link ProbeAdvice}, that touches ByteBuddy, and nothing touches
 * it before the first class to weave: ByteBuddy's classes load then, not while the JVM starts (see
 * the README's "How it works" for what that saves).
 */
final class Weaver {

    /** Advice adds its stack map frames itself from expanded ones: the writer computes neither frames nor sizes. */
    private static final int READER_FLAGS = ClassReader.EXPAND_FRAMES;
    private static final int WRITER_FLAGS = 0;

    private Weaver() {}

    /** A method woven with a rule: the rule's index in the rules given to {@link #weave}, and the method's name and descriptor. */
    static final class Match {
        final int rule;
        final String method;

        Match(int rule, String method) {
            this.rule = rule;
            this.method = method;
        }

        /** What a rule's state and probe learn of it, for a class woven now or taken from the {@link WeaveCache}. */
        boolean record(List<RuleIndex.Entry> rules, String binaryName) {
            RuleIndex.Entry entry = rules.get(rule);
            if (entry.probeId() == RuleIndex.Entry.SKIPPED) {
                return false;
            }
            entry.state.matched(binaryName + "#" + method);
            return true;
        }
    }

    /**
     * The woven class file, or null when no method matched.
     *
     * @param matched where to add the methods woven, with the rule of each
     */
    static byte[] weave(ClassLoader loader, String className, byte[] classFile, List<RuleIndex.Entry> rules,
            List<Match> matched) {
        String binaryName = className.replace('/', '.');
        TypePool pool = new TypePool.Default.WithLazyResolution(new TypePool.CacheProvider.Simple(),
                new ClassFileLocator.Compound(ClassFileLocator.Simple.of(binaryName, classFile), new ClassFilesLocator(loader)),
                TypePool.Default.ReaderMode.FAST);
        TypeDescription type = pool.describe(binaryName).resolve();
        ClassReader reader = OpenedClassReader.of(classFile);
        Set<String> delegating = null;
        Map<String, List<ProbeAdvice.Binding>> woven = new HashMap<>();
        Map<String, MethodDescription> methods = new HashMap<>();
        for (MethodDescription.InDefinedShape method : type.getDeclaredMethods()) {
            if (!WOVEN.matches(method)) {
                continue;
            }
            String key = method.getInternalName() + method.getDescriptor();
            for (int index = 0; index < rules.size(); index++) {
                RuleIndex.Entry rule = rules.get(index);
                if (!rule.state.rule().matches(method.getInternalName(), method.getDescriptor())) {
                    continue;
                }
                if (method.isConstructor()) {
                    if (delegating == null) {
                        delegating = delegatingConstructors(reader, className);
                    }
                    if (delegating.contains(method.getDescriptor())) {
                        continue; // the constructor it delegates to reports the object
                    }
                }
                Match match = new Match(index, key);
                if (!match.record(rules, binaryName)) {
                    continue;
                }
                matched.add(match);
                woven.computeIfAbsent(key, k -> new ArrayList<>(1)).add(new ProbeAdvice.Binding(rule.state.rule(), rule.probeId()));
                methods.put(key, method);
            }
        }
        if (woven.isEmpty()) {
            return null;
        }
        ClassFileVersion version = ClassFileVersion.ofClassFile(classFile);
        Implementation.Context context = Implementation.Context.Disabled.Factory.INSTANCE.make(type, null,
                TypeInitializer.None.INSTANCE, version, version);
        ClassWriter writer = new ClassWriter(reader, WRITER_FLAGS);
        ProbeAdvice.bind(woven);
        try {
            reader.accept(new ClassVisitor(OpenedClassReader.ASM_API, writer) {
                @Override
                public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                        String[] exceptions) {
                    MethodVisitor method = super.visitMethod(access, name, descriptor, signature, exceptions);
                    List<ProbeAdvice.Binding> bindings = woven.get(name + descriptor);
                    if (bindings == null) {
                        return method;
                    }
                    MethodDescription described = methods.get(name + descriptor);
                    for (int slot = 0; slot < bindings.size(); slot++) {
                        method = ProbeAdvice.of(described.isConstructor(), slot)
                                .wrap(type, described, method, context, pool, WRITER_FLAGS, READER_FLAGS);
                    }
                    return method;
                }
            }, READER_FLAGS);
        } finally {
            ProbeAdvice.unbind();
        }
        return writer.toByteArray();
    }

    /**
     * The methods a rule may weave, by their modifiers: not abstract or native methods, whose code is
     * elsewhere, nor bridges. A bridge (a generic method's erased twin) forwards to the method it
     * bridges, and instrumenting both would record every call twice. Which of them a rule names is
     * {@link Rule#matches}', by name and descriptor.
     */
    private static final ElementMatcher<MethodDescription> WOVEN = not(isAbstract()).and(not(isNative())).and(not(isBridge()));

    /**
     * The descriptors of the constructors that begin by delegating to another of their class with
     * {@code this(...)}: an object is reported by the constructor that builds it, once. A constructor
     * call on the class itself is {@code this(...)} unless it initialises an object of the class made
     * with {@code new} in the same constructor.
     */
    private static Set<String> delegatingConstructors(ClassReader reader, String className) {
        Set<String> delegating = new HashSet<>();
        reader.accept(new ClassVisitor(OpenedClassReader.ASM_API) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                    String[] exceptions) {
                if (!name.equals(MethodDescription.CONSTRUCTOR_INTERNAL_NAME)) {
                    return null;
                }
                return new MethodVisitor(OpenedClassReader.ASM_API) {
                    private int pendingNews;

                    @Override
                    public void visitTypeInsn(int opcode, String type) {
                        if (opcode == Opcodes.NEW && type.equals(className)) {
                            pendingNews++;
                        }
                    }

                    @Override
                    public void visitMethodInsn(int opcode, String owner, String called, String calledDescriptor,
                            boolean isInterface) {
                        if (opcode == Opcodes.INVOKESPECIAL && called.equals(MethodDescription.CONSTRUCTOR_INTERNAL_NAME)
                                && owner.equals(className)) {
                            if (pendingNews > 0) {
                                pendingNews--;
                            } else {
                                delegating.add(descriptor);
                            }
                        }
                    }
                };
            }
        }, ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
        return delegating;
    }

    /** The class files of a class loader, for ByteBuddy's type pools: what {@link ClassFiles} reads, without loading anything. */
    private static final class ClassFilesLocator implements ClassFileLocator {
        private final ClassLoader loader;

        ClassFilesLocator(ClassLoader loader) {
            this.loader = loader;
        }

        @Override
        public Resolution locate(String name) {
            byte[] classFile = ClassFiles.read(loader, name.replace('.', '/'));
            return classFile == null ? new Resolution.Illegal(name) : new Resolution.Explicit(classFile);
        }

        @Override
        public void close() {}
    }
}
