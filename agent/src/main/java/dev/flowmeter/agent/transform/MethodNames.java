package dev.flowmeter.agent.transform;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;

/**
 * The names of the methods rules weave, as a class file spells them (modified UTF-8), so that
 * {@link ClassHeader} can tell whether a class declares one without decoding a single name: a class
 * that declares none has nothing to weave, whatever it extends, and its supertypes need not be read.
 */
final class MethodNames {

    /** What a class declares, as bits. */
    static final int NONE = 0;
    static final int CONSTRUCTOR = 1;
    static final int METHOD = 2;

    private static final byte[] INIT = {'<', 'i', 'n', 'i', 't', '>'};

    /** By length in bytes: the names of that length. */
    private byte[][][] byLength = new byte[0][][];
    private boolean constructors;

    void add(String methodName) {
        byte[] name = encode(methodName);
        if (byLength.length <= name.length) {
            byLength = Arrays.copyOf(byLength, name.length + 1);
        }
        byte[][] sameLength = byLength[name.length] == null ? new byte[0][] : byLength[name.length];
        for (byte[] known : sameLength) {
            if (Arrays.equals(known, name)) {
                return;
            }
        }
        sameLength = Arrays.copyOf(sameLength, sameLength.length + 1);
        sameLength[sameLength.length - 1] = name;
        byLength[name.length] = sameLength;
    }

    void addConstructors() {
        constructors = true;
    }

    /** {@link #METHOD}, {@link #CONSTRUCTOR} or {@link #NONE}, for a name of {@code length} bytes at {@code start}. */
    int kindOf(byte[] classFile, int start, int length) {
        if (length < byLength.length && byLength[length] != null) {
            for (byte[] name : byLength[length]) {
                if (Arrays.equals(classFile, start, start + length, name, 0, length)) {
                    return METHOD;
                }
            }
        }
        return constructors && Arrays.equals(classFile, start, start + length, INIT, 0, INIT.length) ? CONSTRUCTOR : NONE;
    }

    private static byte[] encode(String name) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            new DataOutputStream(bytes).writeUTF(name);
            return Arrays.copyOfRange(bytes.toByteArray(), 2, bytes.size()); // without writeUTF's length
        } catch (IOException impossible) {
            throw new UncheckedIOException(impossible);
        }
    }
}
