package dev.flowmeter.agent;

import dev.flowmeter.agent.config.AgentConfig;
import dev.flowmeter.agent.metrics.Metrics;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import java.io.IOException;

/**
 * client_java's HTTP server on the agent's registry: /metrics in text, OpenMetrics or protobuf by
 * content negotiation, and /-/healthy. Its threads are daemons and never keep the JVM alive.
 */
final class MetricsServer {

    private final HTTPServer server;
    private final String host;

    private MetricsServer(HTTPServer server, String host) {
        this.server = server;
        this.host = host;
    }

    static MetricsServer start(AgentConfig config, Metrics metrics) throws IOException {
        HTTPServer server = HTTPServer.builder(metrics.properties())
                .hostname(config.host())
                .port(config.port())
                .registry(metrics.registry())
                .buildAndStart();
        return new MetricsServer(server, config.host());
    }

    /** Where to point a browser: a wildcard address is served on localhost too. */
    String url() {
        String reachable = host.equals("0.0.0.0") || host.equals("::") ? "localhost" : host;
        return "http://" + reachable + ":" + server.getPort() + "/metrics";
    }
}
