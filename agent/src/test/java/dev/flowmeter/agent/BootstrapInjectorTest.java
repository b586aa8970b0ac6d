package dev.flowmeter.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class BootstrapInjectorTest {

    private static final Path BOOTSTRAP = Path.of("target/classes/dev/flowmeter/agent/bootstrap");

    @Test
    void theInjectorDefinesEveryClassOfTheBootstrapPackageButTheBuildsMarker() throws IOException {
        try (Stream<Path> files = Files.list(BOOTSTRAP)) {
            List<String> compiled = files.map(file -> file.getFileName().toString().replace(".class", ""))
                    .filter(name -> !name.equals("OutOfLine")).sorted().collect(Collectors.toList());
            assertEquals(compiled, BootstrapInjector.CLASSES.stream().sorted().collect(Collectors.toList()));
        }
    }

    @Test
    void probesMethodsMarkedOutOfLineCarryTheJdksDontInlineOnceInjected() throws Exception {
        ClassLoader isolated = new ClassLoader(null) {
            @Override
            protected Class<?> findClass(String name) throws ClassNotFoundException {
                try (InputStream in = Files.newInputStream(BOOTSTRAP.resolve(name.substring(name.lastIndexOf('.') + 1) + ".class"))) {
                    byte[] type = BootstrapInjector.withJdkAnnotations(in.readAllBytes());
                    return defineClass(name, type, 0, type.length);
                } catch (IOException missing) {
                    throw new ClassNotFoundException(name, missing);
                }
            }
        };
        Class<?> loaded = isolated.loadClass("dev.flowmeter.agent.bootstrap.Probes");
        for (String name : List.of("enter", "exit", "reserve")) {
            Method method = Arrays.stream(loaded.getDeclaredMethods()).filter(m -> m.getName().equals(name)).findFirst().orElseThrow();
            String annotations = Arrays.toString(method.getDeclaredAnnotations());
            assertEquals(name.equals("reserve") ? "[]" : "[@jdk.internal.vm.annotation.DontInline()]", annotations, name);
        }
    }
}
