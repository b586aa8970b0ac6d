package dev.flowmeter.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flowmeter.testkit.InstrumentedJvm;
import dev.flowmeter.testkit.Promtool;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Debian's Prometheus server on loopback, scraping every second the targets listed in a file it
 * watches, so that targets can join while it runs; queried through its HTTP API.
 */
final class PrometheusServer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final Path targets;
    private final String url;
    private final List<String> targetAddresses = new ArrayList<>();

    private PrometheusServer(Process process, Path targets, String url) {
        this.process = process;
        this.targets = targets;
        this.url = url;
    }

    /** @param flags more of Prometheus' command-line flags, such as {@code --enable-feature=native-histograms} */
    static PrometheusServer start(Path folder, String... flags) throws Exception {
        Promtool.executable(); // the same package; fails with how to install it when missing
        Path targets = folder.resolve("targets.json");
        Files.writeString(targets, "[]");
        Path config = folder.resolve("prometheus.yml");
        Files.writeString(config, "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n"
                + "scrape_configs:\n  - job_name: conductor-workers\n    file_sd_configs:\n"
                + "      - files: ['" + targets + "']\n        refresh_interval: 1s\n");
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        List<String> command = new ArrayList<>(List.of("prometheus", "--config.file=" + config,
                "--storage.tsdb.path=" + folder.resolve("data"), "--web.listen-address=127.0.0.1:" + port));
        command.addAll(List.of(flags));
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true).redirectOutput(folder.resolve("prometheus.log").toFile()).start();
        PrometheusServer server = new PrometheusServer(process, targets, "http://127.0.0.1:" + port);
        server.await("Prometheus to be ready", () -> {
            InstrumentedJvm.get(server.url + "/-/ready");
            return true;
        });
        return server;
    }

    /** Adds a scrape target, such as the agent's metrics URL, and waits until Prometheus scrapes it. */
    void scrape(String metricsUrl) throws Exception {
        URI uri = URI.create(metricsUrl);
        targetAddresses.add(uri.getHost() + ":" + uri.getPort());
        Files.writeString(targets, JSON.writeValueAsString(List.of(java.util.Map.of("targets", targetAddresses))));
        String instance = uri.getHost() + ":" + uri.getPort();
        await("Prometheus to scrape " + instance, () -> query("up{instance=\"" + instance + "\"} == 1").size() == 1);
    }

    /** An instant query's result vector. */
    JsonNode query(String promql) throws IOException, InterruptedException {
        JsonNode response = JSON.readTree(InstrumentedJvm.get(url + "/api/v1/query?query="
                + URLEncoder.encode(promql, StandardCharsets.UTF_8)));
        if (!response.path("status").asText().equals("success")) {
            throw new AssertionError(promql + ": " + response);
        }
        return response.at("/data/result");
    }

    /** The exemplars of the series {@code selector} selects, over the last hour (needs exemplar-storage). */
    JsonNode exemplars(String selector) throws IOException, InterruptedException {
        long now = System.currentTimeMillis() / 1000;
        JsonNode response = JSON.readTree(InstrumentedJvm.get(url + "/api/v1/query_exemplars?query="
                + URLEncoder.encode(selector, StandardCharsets.UTF_8) + "&start=" + (now - 3600) + "&end=" + (now + 60)));
        if (!response.path("status").asText().equals("success")) {
            throw new AssertionError(selector + ": " + response);
        }
        return response.get("data");
    }

    /** Polls {@code promql} until its result satisfies {@code condition}, and returns it. */
    JsonNode awaitQuery(String promql, Predicate<JsonNode> condition) throws Exception {
        JsonNode[] last = {null};
        await(promql, () -> condition.test(last[0] = query(promql)));
        return last[0];
    }

    @FunctionalInterface
    interface Check {
        boolean holds() throws Exception;
    }

    void await(String what, Check check) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            try {
                if (check.holds()) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            if (System.nanoTime() > deadline || !process.isAlive()) {
                throw new AssertionError("gave up waiting for " + what);
            }
            Thread.sleep(100);
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        process.waitFor();
    }
}
