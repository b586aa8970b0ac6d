package dev.flowmeter.agent.transform;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The header reader against the JVM's own view of the same classes. */
class ClassHeaderTest {

    @Test
    void agreesWithTheJvmOnEveryClassOfJavaBase() throws IOException {
        FileSystem jrt = FileSystems.getFileSystem(URI.create("jrt:/"));
        List<Path> classes;
        try (Stream<Path> files = Files.walk(jrt.getPath("/modules/java.base/java"))) {
            classes = files.filter(file -> file.toString().endsWith(".class")).collect(Collectors.toList());
        }
        assertTrue(classes.size() > 1000, "java.base has " + classes.size() + " classes in java.*");
        int compared = 0;
        for (Path file : classes) {
            String name = file.toString().substring("/modules/java.base/".length()).replace(".class", "").replace('/', '.');
            Class<?> type;
            try {
                type = Class.forName(name, false, null);
            } catch (ClassNotFoundException | LinkageError unloadable) {
                continue;
            }
            byte[] classFile = Files.readAllBytes(file);
            ClassHeader header = ClassHeader.parse(classFile);
            Class<?> superclass = type.isInterface() ? Object.class : type.getSuperclass();
            assertEquals(superclass == null ? null : internal(superclass), header.superName, name);
            assertArrayEquals(Arrays.stream(type.getInterfaces()).map(ClassHeaderTest::internal).toArray(),
                    header.interfaces, name);
            assertEquals(type.isInterface(), header.isInterface, name);
            ClassHeader declaring = ClassHeader.ifDeclaring(classFile, ASKED);
            int declared = type.isSynthetic() ? MethodNames.NONE : declared(type);
            assertEquals(declared, declaring == null ? MethodNames.NONE : declaring.declared, name);
            if (declaring != null) {
                assertEquals(header.superName, declaring.superName, name);
                assertArrayEquals(header.interfaces, declaring.interfaces, name);
            }
            compared++;
        }
        assertTrue(compared > 1000, "compared " + compared);
    }

    /** Common names, so that many classes declare them and many do not; and constructors. */
    private static final MethodNames ASKED = new MethodNames();

    static {
        ASKED.add("run");
        ASKED.add("close");
        ASKED.add("compareTo");
        ASKED.addConstructors();
    }

    /** What the JVM says a class declares of {@link #ASKED}: its methods (bridges and synthetic ones too), its constructors. */
    private static int declared(Class<?> type) {
        int declared = type.getDeclaredConstructors().length > 0 ? MethodNames.CONSTRUCTOR : MethodNames.NONE;
        for (java.lang.reflect.Method method : type.getDeclaredMethods()) {
            if (List.of("run", "close", "compareTo").contains(method.getName())) {
                declared |= MethodNames.METHOD;
            }
        }
        return declared;
    }

    @Test
    void tellsWhichOfTheNamesAClassDeclares() throws IOException {
        assertEquals(MethodNames.NONE, ClassHeader.parse(classFile(Thread.class)).declared);
        assertEquals(MethodNames.METHOD | MethodNames.CONSTRUCTOR, ClassHeader.ifDeclaring(classFile(Thread.class), ASKED).declared);
        assertEquals(MethodNames.CONSTRUCTOR, ClassHeader.ifDeclaring(classFile(Math.class), ASKED).declared);
        MethodNames runOnly = new MethodNames();
        runOnly.add("run");
        assertNull(ClassHeader.ifDeclaring(classFile(Math.class), runOnly), "declares no run; constructors not asked about");
    }

    @Test
    void readsLongAndDoubleConstantsAsTwoSlots() throws IOException {
        // Double's class file holds double and long constants before the names of its supertypes.
        ClassHeader header = ClassHeader.parse(classFile(Double.class));
        assertEquals("java/lang/Number", header.superName);
        assertTrue(Arrays.asList(header.interfaces).contains("java/lang/Comparable"));
    }

    /** Names are ASCII nearly always, and decoded on a shorter path then; the rest as modified UTF-8. */
    @Test
    void readsNamesBeyondAscii() throws IOException {
        ClassHeader header = ClassHeader.parse(classFile(Zähler.class));
        assertEquals(internal(Größe.class), header.superName);
        assertArrayEquals(new String[] {internal(Maß.class)}, header.interfaces);
    }

    static class Größe {}

    interface Maß {}

    static final class Zähler extends Größe implements Maß {}

    @Test
    void objectHasNoSuperclass() throws IOException {
        ClassHeader header = ClassHeader.parse(classFile(Object.class));
        assertNull(header.superName);
    }

    @Test
    void refusesWhatIsNotAClassFile() throws IOException {
        byte[] whole = classFile(ClassHeaderTest.class);
        assertThrows(IllegalArgumentException.class, () -> ClassHeader.parse(Arrays.copyOf(whole, whole.length / 3)));
        assertThrows(IllegalArgumentException.class, () -> ClassHeader.parse("rules: []".getBytes()));
        assertThrows(IllegalArgumentException.class, () -> ClassHeader.parse(new byte[0]));
    }

    private static byte[] classFile(Class<?> type) throws IOException {
        try (InputStream in = type.getResourceAsStream(type.getName().substring(type.getName().lastIndexOf('.') + 1) + ".class")) {
            return in.readAllBytes();
        }
    }

    private static String internal(Class<?> type) {
        return type.getName().replace('.', '/');
    }
}
