package dev.flowmeter.agent;

import dev.flowmeter.agent.config.AgentConfig;
import dev.flowmeter.agent.metrics.Metrics;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import java.io.IOException;

/**
 * client_java's HTTP server on the agent's registry: /metrics in text, OpenMetrics or protobuf by
 * content negotiation, /-/healthy, and the agent's own /-/flowmeter. Its threads are daemons and never keep the JVM alive.
 */
final class MetricsServer {

    private final HTTPServer server;
    private final String host;

    private MetricsServer(HTTPServer server, String host) {
        this.server = server;
        this.host = host;
    }

    /**
     * The JDK reads its {@code sun.net.httpserver.*} properties once, when the first HttpServer starts,
     * and the agent's is the first: an application that turns on TCP_NODELAY in code, before starting its
     * own server, would be left with Nagle's algorithm, which delays every small response by the client's
     * delayed ACK (about 40 ms; test-app ran 4.6 times slower). The agent's scrapes need it too, so it is
     * turned on here unless the user set it with -D.
     */
    private static final String NODELAY = "sun.net.httpserver.nodelay";

    static MetricsServer start(AgentConfig config, Metrics metrics, Introspection introspection) throws IOException {
        if (System.getProperty(NODELAY) == null) {
            System.setProperty(NODELAY, "true");
        }
        HTTPServer server = HTTPServer.builder(metrics.properties())
                .hostname(config.host())
                .port(config.port())
                .registry(metrics.registry())
                .defaultHandler(introspection)
                .buildAndStart();
        return new MetricsServer(server, config.host());
    }

    /** Where to point a browser: a wildcard address is served on localhost too. */
    String url() {
        String reachable = host.equals("0.0.0.0") || host.equals("::") ? "localhost" : host;
        return "http://" + reachable + ":" + server.getPort() + "/metrics";
    }
}
