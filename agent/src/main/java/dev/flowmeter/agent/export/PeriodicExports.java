package dev.flowmeter.agent.export;

import dev.flowmeter.agent.config.AgentConfig;
import dev.flowmeter.agent.report.Report;
import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.URL;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * For JVMs that are not scraped: the metrics written to a file for node_exporter's textfile
 * collector, and pushed to a Pushgateway, at an interval and once more when the JVM exits, so that a
 * short batch job leaves its final counts behind. One daemon thread does both.
 */
public final class PeriodicExports {

    private final PrometheusRegistry registry;
    private final PrometheusTextFormatWriter text = PrometheusTextFormatWriter.create();
    private final Path textfile;
    private final URL pushgateway;
    private final String target;
    private ScheduledExecutorService thread;
    private Thread atExit;

    private PeriodicExports(PrometheusRegistry registry, Path textfile, URL pushgateway) {
        this.registry = registry;
        this.textfile = textfile;
        this.pushgateway = pushgateway;
        this.target = (textfile == null ? "" : textfile.toString()) + (textfile != null && pushgateway != null ? " and " : "")
                + (pushgateway == null ? "" : pushgateway.toString());
    }

    /** Starts what the configuration asks for; null where it asks for nothing. */
    public static PeriodicExports start(AgentConfig config, PrometheusRegistry registry) throws IOException {
        if (config.textfile().isEmpty() && config.pushgateway().isEmpty()) {
            return null;
        }
        PeriodicExports exports = new PeriodicExports(registry,
                config.textfile().isEmpty() ? null : Path.of(config.textfile()).toAbsolutePath(),
                config.pushgateway().isEmpty() ? null : new URL(config.pushgateway() + "/metrics/job/"
                        + encode(config.job()) + "/instance/" + encode(InetAddress.getLocalHost().getHostName())));
        exports.thread = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread daemon = new Thread(runnable, "flowmeter-exports");
            daemon.setDaemon(true);
            return daemon;
        });
        if (exports.textfile != null) {
            schedule(exports.thread, exports::writeTextfile, config.textfileInterval());
        }
        if (exports.pushgateway != null) {
            schedule(exports.thread, exports::push, config.pushgatewayInterval());
        }
        exports.atExit = new Thread(exports::exportAtExit, "flowmeter-exports-at-exit");
        Runtime.getRuntime().addShutdownHook(exports.atExit);
        return exports;
    }

    /** Where the metrics go. */
    public String target() {
        return target;
    }

    /** For an agent that is detached: exports once more, then stops, and leaves no shutdown hook behind. */
    public void stop() {
        thread.shutdownNow();
        try {
            Runtime.getRuntime().removeShutdownHook(atExit);
        } catch (IllegalStateException exiting) {
            return; // the JVM is exiting: the hook exports
        }
        exportAtExit();
    }

    private static void schedule(ScheduledExecutorService thread, Export export, Duration interval) {
        long millis = interval.toMillis();
        thread.scheduleAtFixedRate(() -> run(export), 0, millis, TimeUnit.MILLISECONDS);
    }

    private void exportAtExit() {
        if (textfile != null) {
            run(this::writeTextfile);
        }
        if (pushgateway != null) {
            run(this::push);
        }
    }

    @FunctionalInterface
    private interface Export {
        void run() throws IOException;
    }

    /** An export that fails is reported and tried again at the next interval; the application runs on. */
    private static void run(Export export) {
        try {
            export.run();
        } catch (IOException | RuntimeException failed) {
            Report.limited("export", "exporting the metrics failed, to be tried again: " + failed);
        }
    }

    private byte[] exposition() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        text.write(out, registry.scrape(), EscapingScheme.ALLOW_UTF8);
        return out.toByteArray();
    }

    /** Written beside the file and renamed over it, so that node_exporter never reads half a file. */
    private synchronized void writeTextfile() throws IOException {
        Path temporary = textfile.resolveSibling("." + textfile.getFileName() + ".tmp");
        Files.write(temporary, exposition());
        Files.move(temporary, textfile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** PUT replaces the group's metrics, so that a metric that is gone does not linger on the Pushgateway. */
    private synchronized void push() throws IOException {
        HttpURLConnection connection = (HttpURLConnection) pushgateway.openConnection();
        try {
            connection.setRequestMethod("PUT");
            connection.setDoOutput(true);
            connection.setConnectTimeout(5000);
            connection.setReadTimeout(10_000);
            connection.setRequestProperty("Content-Type", PrometheusTextFormatWriter.CONTENT_TYPE);
            try (OutputStream out = connection.getOutputStream()) {
                out.write(exposition());
            }
            int status = connection.getResponseCode();
            if (status / 100 != 2) {
                throw new IOException("the Pushgateway at " + pushgateway + " answered " + status);
            }
        } finally {
            connection.disconnect();
        }
    }

    private static String encode(String pathSegment) {
        return URLEncoder.encode(pathSegment, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
