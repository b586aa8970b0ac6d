package dev.flowmeter.agent.transform;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * What a class file says it extends and implements, and whether it declares methods of given names,
 * read straight from its bytes: the constant pool is skipped through, and only the names of the
 * class's supertypes are decoded. Every class the JVM loads passes through here, so it must cost far
 * less than a full class-file parser, which the agent runs only on the few classes that a rule
 * applies to.
 */
final class ClassHeader {

    private static final int MAGIC = 0xCAFEBABE;
    private static final int INTERFACE = 0x0200;
    private static final int SYNTHETIC = 0x1000;

    /** Internal names (with slashes); null for java.lang.Object and module descriptors. */
    final String superName;
    final String[] interfaces;
    final boolean isInterface;
    /** The {@link MethodNames} kinds of the methods it declares, as bits; {@link MethodNames#NONE} when none were asked about. */
    final int declared;

    private ClassHeader(String superName, String[] interfaces, int access, int declared) {
        this.superName = superName;
        this.interfaces = interfaces;
        this.isInterface = (access & INTERFACE) != 0;
        this.declared = declared;
    }

    /** @throws IllegalArgumentException if the bytes are not a class file the agent can read */
    static ClassHeader parse(byte[] classFile) {
        return parse(classFile, null);
    }

    /**
     * The header of a class that declares one of {@code methodNames}, with which kinds it declares;
     * null for a class that declares none, or that the compiler made (synthetic), without a name
     * decoded.
     *
     * @throws IllegalArgumentException if the bytes are not a class file the agent can read
     */
    static ClassHeader ifDeclaring(byte[] classFile, MethodNames methodNames) {
        return parse(classFile, methodNames);
    }

    private static ClassHeader parse(byte[] classFile, MethodNames methodNames) {
        try {
            if (u4(classFile, 0) != MAGIC) {
                throw new IllegalArgumentException("not a class file");
            }
            int[] entries = constantPool(classFile);
            int at = entries[0];
            int access = u2(classFile, at);
            int interfaceCount = u2(classFile, at + 6);
            int declared = MethodNames.NONE;
            if (methodNames != null) {
                if ((access & SYNTHETIC) != 0) {
                    return null;
                }
                declared = declared(classFile, entries, skipMembers(classFile, at + 8 + 2 * interfaceCount), methodNames);
                if (declared == MethodNames.NONE) {
                    return null;
                }
            }
            int superIndex = u2(classFile, at + 4);
            String[] interfaces = new String[interfaceCount];
            for (int i = 0; i < interfaces.length; i++) {
                interfaces[i] = className(classFile, entries, u2(classFile, at + 8 + 2 * i));
            }
            return new ClassHeader(superIndex == 0 ? null : className(classFile, entries, superIndex), interfaces, access,
                    declared);
        } catch (ArrayIndexOutOfBoundsException | IOException truncated) {
            throw new IllegalArgumentException("truncated class file", truncated);
        }
    }

    /**
     * The offset of each constant pool entry, by index; at index 0, which names no entry, the offset
     * just past the pool. The loops over every class's pool and members are methods of their own,
     * small, which the JIT compiles quickly, while the per-class code around them is not hot enough
     * to compile with the optimizing compiler at all.
     */
    private static int[] constantPool(byte[] classFile) {
        int count = u2(classFile, 8);
        int[] entries = new int[count];
        int at = 10;
        for (int index = 1; index < count; index++) {
            entries[index] = at;
            int tag = classFile[at];
            at += 1 + entrySize(tag, classFile, at + 1);
            if (tag == 5 || tag == 6) {
                index++; // a long or a double takes two slots
            }
        }
        entries[0] = at;
        return entries;
    }

    /** The offset after a table of fields or methods: each has six bytes, then attributes of stated lengths. */
    private static int skipMembers(byte[] classFile, int at) {
        int count = u2(classFile, at);
        at += 2;
        for (int member = 0; member < count; member++) {
            at = skipAttributes(classFile, at + 6);
        }
        return at;
    }

    private static int skipAttributes(byte[] classFile, int at) {
        int count = u2(classFile, at);
        at += 2;
        for (int attribute = 0; attribute < count; attribute++) {
            at += 6 + u4(classFile, at + 2);
        }
        return at;
    }

    /** The kinds of the methods in the table at {@code at}, each known by its name's bytes, none decoded. */
    private static int declared(byte[] classFile, int[] entries, int at, MethodNames methodNames) {
        int declared = MethodNames.NONE;
        int count = u2(classFile, at);
        at += 2;
        for (int method = 0; method < count; method++) {
            int name = entries[u2(classFile, at + 2)];
            declared |= methodNames.kindOf(classFile, name + 3, u2(classFile, name + 1));
            at = skipAttributes(classFile, at + 6);
        }
        return declared;
    }

    private static int entrySize(int tag, byte[] classFile, int at) {
        switch (tag) {
            case 1: // Utf8
                return 2 + u2(classFile, at);
            case 7: case 8: case 16: case 19: case 20: // Class, String, MethodType, Module, Package
                return 2;
            case 15: // MethodHandle
                return 3;
            case 3: case 4: case 9: case 10: case 11: case 12: case 17: case 18: // 4-byte constants and references
                return 4;
            case 5: case 6: // Long, Double
                return 8;
            default:
                throw new IllegalArgumentException("unknown constant pool tag " + tag);
        }
    }

    /**
     * The methods a class file declares, each as its name and descriptor, such as
     * {@code execute(Lorg/quartz/JobExecutionContext;)V}: every name decoded, for the few class files
     * whose methods are looked up (a rule's library being checked), not for every class loaded.
     *
     * @throws IllegalArgumentException if the bytes are not a class file the agent can read
     */
    static List<String> declaredMethods(byte[] classFile) {
        try {
            int[] entries = constantPool(classFile);
            int at = skipMembers(classFile, entries[0] + 8 + 2 * u2(classFile, entries[0] + 6));
            int count = u2(classFile, at);
            at += 2;
            List<String> methods = new ArrayList<>(count);
            for (int method = 0; method < count; method++) {
                methods.add(utf8(classFile, entries, u2(classFile, at + 2)) + utf8(classFile, entries, u2(classFile, at + 4)));
                at = skipAttributes(classFile, at + 6);
            }
            return methods;
        } catch (ArrayIndexOutOfBoundsException | IOException truncated) {
            throw new IllegalArgumentException("truncated class file", truncated);
        }
    }

    private static String className(byte[] classFile, int[] entries, int classIndex) throws IOException {
        return utf8(classFile, entries, u2(classFile, entries[classIndex] + 1));
    }

    private static String utf8(byte[] classFile, int[] entries, int utf8Index) throws IOException {
        int utf8 = entries[utf8Index];
        int length = u2(classFile, utf8 + 1);
        int start = utf8 + 3;
        for (int i = start; i < start + length; i++) {
            if (classFile[i] < 0) {
                // The class file's modified UTF-8 is what DataInput reads: a two-byte length, then the bytes.
                return new DataInputStream(new ByteArrayInputStream(classFile, utf8 + 1, classFile.length - utf8 - 1)).readUTF();
            }
        }
        return new String(classFile, start, length, StandardCharsets.ISO_8859_1); // ASCII, as nearly every name is
    }

    private static int u2(byte[] bytes, int at) {
        return (bytes[at] & 0xFF) << 8 | bytes[at + 1] & 0xFF;
    }

    private static int u4(byte[] bytes, int at) {
        return u2(bytes, at) << 16 | u2(bytes, at + 2);
    }
}
