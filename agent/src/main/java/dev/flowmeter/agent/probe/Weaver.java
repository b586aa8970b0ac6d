package dev.flowmeter.agent.probe;

import dev.flowmeter.agent.bootstrap.Probes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * Inlines the rules' probe calls into the methods of a class that {@link RuleIndex} picked out, with
 * ASM: on entry {@code entered = Probes.enter(id, this, argument)}; before every return
 * {@code Probes.exit(id, entered, this, argument, result, null)}; and around the whole body a
 * handler that calls {@code Probes.exit(id, entered, this, argument, null, thrown)} and rethrows
 * {@code thrown} unchanged. A constructor rule calls {@link Probes#constructed} before each return.
 * The class keeps its shape (no new members), so classes already loaded can be retransformed.
 *
 * <p>{@link Probes}' methods never throw: they catch what a probe throws, count it and go on, which
 * is what makes the inlined calls safe without handlers of their own.
 */
final class Weaver {

    private static final String PROBES = Type.getInternalName(Probes.class);
    private static final String OBJECT = "java/lang/Object";
    /** The first with stack map frames. */
    private static final int JAVA_6 = 50;

    private Weaver() {}

    /** The woven class file, or null when no method matched. */
    static byte[] weave(ClassLoader loader, String className, byte[] classFile, List<RuleIndex.Entry> rules) {
        ClassReader reader = new ClassReader(classFile);
        int version = reader.readUnsignedShort(6);
        Map<String, Woven> woven = new HashMap<>();
        // First the methods to weave, and the locals they use (known only at the end of their code),
        // after which the probe calls' own locals go.
        reader.accept(new ClassVisitor(Opcodes.ASM9) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                    String[] exceptions) {
                if ((access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE | Opcodes.ACC_BRIDGE)) != 0) {
                    return null;
                }
                List<RuleIndex.Entry> applying = new ArrayList<>(1);
                for (RuleIndex.Entry rule : rules) {
                    if (matches(rule.state.rule(), name, descriptor) && rule.probeId() != RuleIndex.Entry.SKIPPED) {
                        rule.state.matched(className.replace('/', '.') + "#" + name + descriptor);
                        applying.add(rule);
                    }
                }
                if (applying.isEmpty()) {
                    return null;
                }
                Woven method = new Woven(applying);
                woven.put(name + descriptor, method);
                return new MethodVisitor(Opcodes.ASM9) {
                    @Override
                    public void visitMaxs(int maxStack, int maxLocals) {
                        method.firstFree = maxLocals;
                    }
                };
            }
        }, ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
        if (woven.isEmpty()) {
            return null;
        }
        ClassWriter writer = new HierarchyWriter(reader, version >= JAVA_6 ? ClassWriter.COMPUTE_FRAMES
                : ClassWriter.COMPUTE_MAXS, loader, className, ClassHeader.parse(classFile));
        reader.accept(new ClassVisitor(Opcodes.ASM9, writer) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                    String[] exceptions) {
                MethodVisitor method = super.visitMethod(access, name, descriptor, signature, exceptions);
                Woven rules = woven.get(name + descriptor);
                if (rules == null) {
                    return method;
                }
                int firstFree = rules.firstFree;
                for (RuleIndex.Entry rule : rules.rules) {
                    if (rule.state.rule().onConstructors()) {
                        method = new ConstructorCall(method, rule.probeId(), className);
                    } else {
                        method = new ProbeCalls(method, access, descriptor, rule, firstFree);
                        firstFree += ProbeCalls.locals(descriptor); // two rules on one method keep their own locals
                    }
                }
                return method;
            }
        }, version >= JAVA_6 ? ClassReader.SKIP_FRAMES : 0);
        return writer.toByteArray();
    }

    /** A method to weave: the rules that apply to it, and its first local variable slot not in use. */
    private static final class Woven {
        final List<RuleIndex.Entry> rules;
        int firstFree;

        Woven(List<RuleIndex.Entry> rules) {
            this.rules = rules;
        }
    }

    /**
     * What a rule instruments: its constructors; or its method by name, every overload or those
     * with a parameter count or types. Bridge methods are left out: a bridge (a generic method's
     * erased twin) forwards to the method it bridges, and instrumenting both would record every
     * call twice.
     */
    static boolean matches(Rule rule, String name, String descriptor) {
        if (rule.onConstructors()) {
            return name.equals("<init>");
        }
        if (!name.equals(rule.methodName())) {
            return false;
        }
        Type[] parameters = Type.getArgumentTypes(descriptor);
        if (rule.parameterCount() != Rule.ANY_PARAMETERS && parameters.length != rule.parameterCount()) {
            return false;
        }
        if (rule.parameterTypes() != null) {
            for (int i = 0; i < parameters.length; i++) {
                if (!typeName(parameters[i]).equals(rule.parameterTypes().get(i))) {
                    return false;
                }
            }
        }
        return true;
    }

    /** A parameter type as rules name it: binary names, so nested types with {@code $}, and arrays as {@link Class#getName}. */
    static String typeName(Type type) {
        return type.getSort() == Type.ARRAY ? type.getDescriptor().replace('/', '.') : type.getClassName();
    }

    /**
     * The probe calls of a method rule. Every return and the handler jump to one exit block, which
     * calls {@code Probes.exit} once and then returns the value or rethrows the exception: one call
     * site, so that the JIT inlines the probe's exit once and the method stays small enough to be
     * inlined into its callers, where a rethrow is a jump rather than an unwinding.
     */
    private static final class ProbeCalls extends MethodVisitor {
        private final boolean isStatic;
        private final Type[] parameters;
        private final Type returnType;
        private final int probeId;
        private final int argumentIndex;
        private final boolean allArguments;
        private final boolean readsReturn;
        private final int entered;
        private final int argument;
        private final int thrown;
        private final int result;
        private final int value;
        private final Label body = new Label();
        private final Label exit = new Label();

        ProbeCalls(MethodVisitor next, int access, String descriptor, RuleIndex.Entry entry, int firstFree) {
            super(Opcodes.ASM9, next);
            Rule rule = entry.state.rule();
            this.isStatic = (access & Opcodes.ACC_STATIC) != 0;
            this.parameters = Type.getArgumentTypes(descriptor);
            this.returnType = Type.getReturnType(descriptor);
            this.probeId = entry.probeId();
            this.argumentIndex = rule.argumentIndex();
            this.allArguments = rule.allArguments();
            this.readsReturn = rule.readsReturn() && returnType.getSort() != Type.VOID;
            this.entered = firstFree;
            this.argument = firstFree + 2;
            this.thrown = firstFree + 3;
            this.result = firstFree + 4;
            this.value = firstFree + 5;
        }

        /** The local variable slots the calls add to a method: the entry time (a long), the argument, the exception, the result boxed, and the result. */
        static int locals(String descriptor) {
            return 5 + Type.getReturnType(descriptor).getSize();
        }

        @Override
        public void visitCode() {
            super.visitCode();
            if (allArguments) {
                push(parameters.length);
                super.visitTypeInsn(Opcodes.ANEWARRAY, OBJECT);
                for (int i = 0; i < parameters.length; i++) {
                    super.visitInsn(Opcodes.DUP);
                    push(i);
                    loadBoxed(parameters[i], slotOf(i));
                    super.visitInsn(Opcodes.AASTORE);
                }
            } else if (argumentIndex >= 0 && argumentIndex < parameters.length) {
                loadBoxed(parameters[argumentIndex], slotOf(argumentIndex));
            } else {
                super.visitInsn(Opcodes.ACONST_NULL);
            }
            super.visitVarInsn(Opcodes.ASTORE, argument);
            push(probeId);
            loadSelf();
            super.visitVarInsn(Opcodes.ALOAD, argument);
            super.visitMethodInsn(Opcodes.INVOKESTATIC, PROBES, "enter", "(ILjava/lang/Object;Ljava/lang/Object;)J", false);
            super.visitVarInsn(Opcodes.LSTORE, entered);
            super.visitLabel(body);
        }

        /** A return: the result into its locals, no exception, and on to the exit block. */
        @Override
        public void visitInsn(int opcode) {
            if (opcode < Opcodes.IRETURN || opcode > Opcodes.RETURN) {
                super.visitInsn(opcode);
                return;
            }
            if (returnType.getSort() != Type.VOID) {
                if (readsReturn) {
                    super.visitInsn(returnType.getSize() == 2 ? Opcodes.DUP2 : Opcodes.DUP);
                    box(returnType);
                } else {
                    super.visitInsn(Opcodes.ACONST_NULL);
                }
                super.visitVarInsn(Opcodes.ASTORE, result);
                super.visitVarInsn(returnType.getOpcode(Opcodes.ISTORE), value);
            }
            super.visitInsn(Opcodes.ACONST_NULL);
            super.visitVarInsn(Opcodes.ASTORE, thrown);
            super.visitJumpInsn(Opcodes.GOTO, exit);
        }

        /** After the method's code: the handler, then the exit block. */
        @Override
        public void visitMaxs(int maxStack, int maxLocals) {
            Label handler = new Label();
            super.visitLabel(handler);
            super.visitVarInsn(Opcodes.ASTORE, thrown);
            if (returnType.getSort() != Type.VOID) {
                // Every path into the exit block sets every local it reads, as the verifier requires.
                super.visitInsn(Opcodes.ACONST_NULL);
                super.visitVarInsn(Opcodes.ASTORE, result);
                pushZero(returnType);
                super.visitVarInsn(returnType.getOpcode(Opcodes.ISTORE), value);
            }
            super.visitLabel(exit);
            push(probeId);
            super.visitVarInsn(Opcodes.LLOAD, entered);
            loadSelf();
            super.visitVarInsn(Opcodes.ALOAD, argument);
            if (returnType.getSort() != Type.VOID) {
                super.visitVarInsn(Opcodes.ALOAD, result);
            } else {
                super.visitInsn(Opcodes.ACONST_NULL);
            }
            super.visitVarInsn(Opcodes.ALOAD, thrown);
            super.visitMethodInsn(Opcodes.INVOKESTATIC, PROBES, "exit",
                    "(IJLjava/lang/Object;Ljava/lang/Object;Ljava/lang/Object;Ljava/lang/Throwable;)V", false);
            Label normal = new Label();
            super.visitVarInsn(Opcodes.ALOAD, thrown);
            super.visitJumpInsn(Opcodes.IFNULL, normal);
            super.visitVarInsn(Opcodes.ALOAD, thrown);
            super.visitInsn(Opcodes.ATHROW);
            super.visitLabel(normal);
            if (returnType.getSort() != Type.VOID) {
                super.visitVarInsn(returnType.getOpcode(Opcodes.ILOAD), value);
            }
            super.visitInsn(returnType.getOpcode(Opcodes.IRETURN));
            // Last in the exception table, so that the method's own handlers come first.
            super.visitTryCatchBlock(body, handler, handler, null);
            super.visitMaxs(maxStack, maxLocals);
        }

        private void pushZero(Type type) {
            switch (type.getSort()) {
                case Type.LONG:
                    super.visitInsn(Opcodes.LCONST_0);
                    break;
                case Type.FLOAT:
                    super.visitInsn(Opcodes.FCONST_0);
                    break;
                case Type.DOUBLE:
                    super.visitInsn(Opcodes.DCONST_0);
                    break;
                case Type.OBJECT: case Type.ARRAY:
                    super.visitInsn(Opcodes.ACONST_NULL);
                    break;
                default:
                    super.visitInsn(Opcodes.ICONST_0);
            }
        }

        private void loadSelf() {
            if (isStatic) {
                super.visitInsn(Opcodes.ACONST_NULL);
            } else {
                super.visitVarInsn(Opcodes.ALOAD, 0);
            }
        }

        private int slotOf(int parameter) {
            int slot = isStatic ? 0 : 1;
            for (int i = 0; i < parameter; i++) {
                slot += parameters[i].getSize();
            }
            return slot;
        }

        private void loadBoxed(Type type, int slot) {
            super.visitVarInsn(type.getOpcode(Opcodes.ILOAD), slot);
            box(type);
        }

        private void box(Type type) {
            if (type.getSort() >= Type.BOOLEAN && type.getSort() <= Type.DOUBLE) {
                String boxed = BOXES[type.getSort()];
                super.visitMethodInsn(Opcodes.INVOKESTATIC, boxed, "valueOf",
                        "(" + type.getDescriptor() + ")L" + boxed + ";", false);
            }
        }

        private void push(int value) {
            Weaver.push(mv, value);
        }
    }

    private static void push(MethodVisitor method, int value) {
        if (value >= -1 && value <= 5) {
            method.visitInsn(Opcodes.ICONST_0 + value);
        } else if (value >= Byte.MIN_VALUE && value <= Byte.MAX_VALUE) {
            method.visitIntInsn(Opcodes.BIPUSH, value);
        } else if (value >= Short.MIN_VALUE && value <= Short.MAX_VALUE) {
            method.visitIntInsn(Opcodes.SIPUSH, value);
        } else {
            method.visitLdcInsn(value);
        }
    }

    /** By {@link Type#getSort}: the box of each primitive type. */
    private static final String[] BOXES = new String[Type.DOUBLE + 1];

    static {
        BOXES[Type.BOOLEAN] = "java/lang/Boolean";
        BOXES[Type.CHAR] = "java/lang/Character";
        BOXES[Type.BYTE] = "java/lang/Byte";
        BOXES[Type.SHORT] = "java/lang/Short";
        BOXES[Type.INT] = "java/lang/Integer";
        BOXES[Type.FLOAT] = "java/lang/Float";
        BOXES[Type.LONG] = "java/lang/Long";
        BOXES[Type.DOUBLE] = "java/lang/Double";
    }

    /**
     * A constructor rule's call, before each return, once the class has built its part of the object
     * (a subclass's constructor may not have run yet: a gauge reads the object when scraped); not in a
     * constructor that delegates to another of its class with {@code this(...)}, which reports the
     * object itself.
     */
    private static final class ConstructorCall extends MethodVisitor {
        private final int probeId;
        private final String className;
        /** Objects of the class itself made with {@code new} and not yet initialised: their constructor calls are not {@code this(...)}. */
        private int pendingNews;
        private boolean delegates;

        ConstructorCall(MethodVisitor next, int probeId, String className) {
            super(Opcodes.ASM9, next);
            this.probeId = probeId;
            this.className = className;
        }

        @Override
        public void visitTypeInsn(int opcode, String type) {
            if (opcode == Opcodes.NEW && type.equals(className)) {
                pendingNews++;
            }
            super.visitTypeInsn(opcode, type);
        }

        @Override
        public void visitMethodInsn(int opcode, String owner, String name, String descriptor, boolean isInterface) {
            if (opcode == Opcodes.INVOKESPECIAL && name.equals("<init>") && owner.equals(className)) {
                if (pendingNews > 0) {
                    pendingNews--;
                } else {
                    delegates = true;
                }
            }
            super.visitMethodInsn(opcode, owner, name, descriptor, isInterface);
        }

        @Override
        public void visitInsn(int opcode) {
            if (opcode == Opcodes.RETURN && !delegates) {
                push(mv, probeId);
                super.visitVarInsn(Opcodes.ALOAD, 0);
                super.visitMethodInsn(Opcodes.INVOKESTATIC, PROBES, "constructed", "(ILjava/lang/Object;)V", false);
            }
            super.visitInsn(opcode);
        }
    }

    /**
     * Computes stack map frames without loading classes: where two types meet, their common
     * superclass is found from class files read through the class's own loader.
     */
    private static final class HierarchyWriter extends ClassWriter {
        private final ClassLoader loader;
        private final Map<String, ClassHeader> headers = new HashMap<>();

        HierarchyWriter(ClassReader reader, int flags, ClassLoader loader, String className, ClassHeader header) {
            super(reader, flags);
            this.loader = loader;
            headers.put(className, header);
        }

        @Override
        protected String getCommonSuperClass(String first, String second) {
            if (first.equals(second)) {
                return first;
            }
            List<String> firstLine = superclasses(first);
            List<String> secondLine = superclasses(second);
            if (firstLine == null || secondLine == null) {
                return OBJECT; // an interface: the verifier takes every interface for Object
            }
            Set<String> above = new HashSet<>(firstLine);
            for (String type : secondLine) {
                if (above.contains(type)) {
                    return type;
                }
            }
            return OBJECT;
        }

        /** A class and its superclasses, up to Object; null for an interface. */
        private List<String> superclasses(String type) {
            List<String> line = new ArrayList<>();
            for (String current = type; current != null; ) {
                ClassHeader header = headers.computeIfAbsent(current, name -> ClassFiles.header(loader, name));
                if (header == null) {
                    throw new TypeNotPresentException(current.replace('/', '.'), null);
                }
                if (header.isInterface) {
                    return null;
                }
                line.add(current);
                current = header.superName;
            }
            return line;
        }
    }
}
