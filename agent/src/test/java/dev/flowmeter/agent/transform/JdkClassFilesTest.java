package dev.flowmeter.agent.transform;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The JDK's class files read through its module readers, against its class loaders' view of them. */
class JdkClassFilesTest {

    private final JdkClassFiles jdk = new JdkClassFiles();

    @Test
    void readsWhatTheJdksLoadersReadInModulesOfBoth() throws IOException {
        // java.base and its nested classes (bootstrap loader), java.net.http and java.sql (platform loader)
        for (Class<?> type : List.of(Object.class, Thread.State.class, java.net.http.HttpClient.class, java.sql.Driver.class)) {
            String name = type.getName().replace('.', '/');
            try (InputStream in = ClassLoader.getPlatformClassLoader().getResourceAsStream(name + ".class")) {
                assertArrayEquals(in.readAllBytes(), jdk.read(name), name);
            }
        }
    }

    @Test
    void hasNothingOutsideTheJdksPackages() {
        assertNull(jdk.read(JdkClassFilesTest.class.getName().replace('.', '/')));
        assertNull(jdk.read("java/lang/NoSuchType"));
        assertNull(jdk.read("InTheUnnamedPackage"));
    }
}
