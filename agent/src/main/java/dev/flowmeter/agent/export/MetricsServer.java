package dev.flowmeter.agent.export;

import com.sun.net.httpserver.BasicAuthenticator;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpsConfigurator;
import dev.flowmeter.agent.config.AgentConfig;
import dev.flowmeter.agent.config.ServerSecurity;
import dev.flowmeter.agent.metrics.Catalog;
import dev.flowmeter.agent.metrics.Metrics;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * client_java's HTTP server on the agent's registry: /metrics in text, OpenMetrics or protobuf by
 * content negotiation, /-/healthy, and the agent's own /-/flowmeter; with basic authentication and
 * TLS when configured. Its threads are daemons and never keep the JVM alive.
 */
public final class MetricsServer {

    /**
     * The JDK reads its {@code sun.net.httpserver.*} properties once, when the first HttpServer starts,
     * and the agent's is the first: an application that turns on TCP_NODELAY in code, before starting its
     * own server, would be left with Nagle's algorithm, which delays every small response by the client's
     * delayed ACK (about 40 ms; test-app ran 4.6 times slower). The agent's scrapes need it too, so it is
     * turned on here unless the user set it with -D.
     */
    private static final String NODELAY = "sun.net.httpserver.nodelay";

    private final HTTPServer server;
    private final String url;

    private MetricsServer(HTTPServer server, String host, boolean tls) {
        this.server = server;
        String reachable = host.equals("0.0.0.0") || host.equals("::") ? "localhost" : host;
        this.url = (tls ? "https" : "http") + "://" + reachable + ":" + server.getPort() + "/metrics";
    }

    /** @param pages what answers every path but /metrics and /-/healthy (the agent's /-/flowmeter and operations) */
    public static MetricsServer start(AgentConfig config, Metrics metrics, HttpHandler pages)
            throws IOException, GeneralSecurityException {
        if (System.getProperty(NODELAY) == null) {
            System.setProperty(NODELAY, "true");
        }
        ServerSecurity security = config.security();
        HTTPServer.Builder builder = HTTPServer.builder(metrics.properties())
                .hostname(config.host())
                .port(config.port())
                .registry(config.scrapeCache() == null ? metrics.registry() : new ScrapeCache(metrics.registry(), config.scrapeCache()))
                .defaultHandler(pages);
        if (security.user() != null) {
            builder.authenticator(new Credentials(security, metrics));
        }
        if (security.keyStore() != null) {
            builder.httpsConfigurator(new HttpsConfigurator(tls(security)));
        }
        return new MetricsServer(builder.buildAndStart(), config.host(), security.keyStore() != null);
    }

    private static SSLContext tls(ServerSecurity security) throws IOException, GeneralSecurityException {
        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        char[] password = security.keyStorePassword();
        try (InputStream in = Files.newInputStream(Path.of(security.keyStore()))) {
            keyStore.load(in, password);
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(keyStore, password);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
        return context;
    }

    /** Answers a request with {@code text}. */
    public static void respond(HttpExchange exchange, int status, String type, String text) throws IOException {
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    /** Frees the port, for an agent that turns out unable to start after the server did. */
    public void stop() {
        server.stop();
    }

    /** Where to point a browser: a wildcard address is served on localhost too. */
    public String url() {
        return url;
    }

    /** Checks scrapes' credentials, and counts those it refuses. */
    private static final class Credentials extends BasicAuthenticator {
        private final ServerSecurity security;
        private final Counter refused;

        Credentials(ServerSecurity security, Metrics metrics) {
            super("flowmeter");
            this.security = security;
            this.refused = metrics.counter(Catalog.UNAUTHORIZED);
        }

        @Override
        public Result authenticate(HttpExchange exchange) {
            Result result = super.authenticate(exchange);
            if (!(result instanceof Success)) {
                refused.inc();
            }
            return result;
        }

        @Override
        public boolean checkCredentials(String user, String password) {
            return MessageDigest.isEqual(user.getBytes(StandardCharsets.UTF_8),
                    security.user().getBytes(StandardCharsets.UTF_8)) && security.accepts(password);
        }
    }
}
