package dev.flowmeter.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flowmeter.e2e.fixtures.ThrowingWorkerApp;
import dev.flowmeter.testkit.InstrumentedJvm;
import dev.flowmeter.testkit.Scrape;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A scrape that needs a password, over TLS with a self-signed certificate. */
class SecurityTest {

    private static final String PASSWORD = "correct horse battery staple";
    private static final String KEY_STORE_PASSWORD = "changeit-too";

    @TempDir
    Path folder;

    @Test
    void scrapesNeedTheRightCredentialsOverTls() throws Exception {
        Path keyStore = selfSignedKeyStore();
        Path passwordFile = Files.writeString(folder.resolve("password"), PASSWORD + "\n");
        Path keyStorePasswordFile = Files.writeString(folder.resolve("keystore-password"), KEY_STORE_PASSWORD);
        String arguments = "port=0,host=127.0.0.1,auth_user=prometheus,auth_password_file=" + passwordFile
                + ",tls_keystore=" + keyStore + ",tls_keystore_password_file=" + keyStorePasswordFile;
        try (InstrumentedJvm app = InstrumentedJvm.fixture(arguments, ThrowingWorkerApp.class)) {
            app.awaitStdout(Pattern.compile("same exception instance"), Duration.ofSeconds(60));
            String url = app.metricsUrl();
            assertTrue(url.startsWith("https://127.0.0.1:"), url);
            HttpClient https = HttpClient.newBuilder().sslContext(trusting(keyStore)).build();

            assertEquals(401, https.send(request(url, null), HttpResponse.BodyHandlers.ofString()).statusCode());
            assertEquals(401, https.send(request(url, "wrong"), HttpResponse.BodyHandlers.ofString()).statusCode());
            HttpResponse<String> scrape = https.send(request(url, PASSWORD), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, scrape.statusCode());
            Scrape metrics = Scrape.parse(scrape.body());
            assertEquals(2, metrics.sum("flowmeter_http_unauthorized_total", Map.of()));
            assertEquals(3, metrics.sum("task_execute_error_total", Map.of("task_type", "failing_task")));

            assertThrows(IOException.class, () -> HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(url.replace("https:", "http:"))).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString()), "plain HTTP to the TLS port fails");
            String introspection = https.send(request(url.replace("/metrics", "/-/flowmeter"), PASSWORD),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertTrue(introspection.contains("\"auth_user\": \"prometheus\""), introspection);
            assertFalse(introspection.contains(PASSWORD) || introspection.contains(KEY_STORE_PASSWORD), introspection);
            assertEquals(200, https.send(request(url, PASSWORD), HttpResponse.BodyHandlers.ofString()).statusCode(),
                    "the server serves on after the plain HTTP attempt");
        }
    }

    private Path selfSignedKeyStore() throws Exception {
        Path keyStore = folder.resolve("server.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "flowmeter", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-storetype", "PKCS12",
                "-keystore", keyStore.toString(), "-storepass", KEY_STORE_PASSWORD, "-keypass", KEY_STORE_PASSWORD)
                .redirectErrorStream(true).start();
        String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, keytool.waitFor(), output);
        return keyStore;
    }

    private static SSLContext trusting(Path keyStore) throws Exception {
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStore)) {
            trusted.load(in, KEY_STORE_PASSWORD.toCharArray());
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }

    private static HttpRequest request(String url, String password) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
        if (password != null) {
            request.header("Authorization", "Basic " + Base64.getEncoder()
                    .encodeToString(("prometheus:" + password).getBytes(StandardCharsets.UTF_8)));
        }
        return request.build();
    }
}
