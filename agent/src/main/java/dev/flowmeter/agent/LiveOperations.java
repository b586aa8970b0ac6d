package dev.flowmeter.agent;

import com.sun.net.httpserver.HttpExchange;
import dev.flowmeter.agent.config.AgentConfig;
import dev.flowmeter.agent.config.ConfigException;
import dev.flowmeter.agent.config.ConfigParser;
import dev.flowmeter.agent.config.Setting;
import dev.flowmeter.agent.export.Introspection;
import dev.flowmeter.agent.export.Json;
import dev.flowmeter.agent.export.MetricsServer;
import dev.flowmeter.agent.export.PeriodicExports;
import dev.flowmeter.agent.metrics.Catalog;
import dev.flowmeter.agent.metrics.Metrics;
import dev.flowmeter.agent.report.Report;
import dev.flowmeter.agent.rules.RuleParser;
import dev.flowmeter.agent.rules.RuleSet;
import dev.flowmeter.agent.transform.Installation;
import io.prometheus.metrics.core.metrics.Counter;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * What the agent does while the application runs: applies the rules of the config file again when
 * it changes ({@code reload}) or when asked ({@code POST /-/reload}), and takes itself out
 * ({@code detach} on the command line, {@code POST /-/detach}). A file with any error changes
 * nothing; settings other than the rules are read at start only.
 */
final class LiveOperations implements Introspection.Operations {

    static final String RELOAD_PATH = "/-/reload";
    static final String DETACH_PATH = "/-/detach";

    /** The agent running in this JVM, for {@code detach}; null where none is. */
    private static volatile LiveOperations current;

    private final String arguments;
    private final Set<String> instrumentationNames;
    private final RuleParser parser;
    private final AgentConfig config;
    private final Installation installation;
    private final MetricsServer server;
    private final PeriodicExports exports;
    private final Path file;
    private final Counter reloads;
    /** Whether POST may reload and detach: the server asks for credentials, or only this machine reaches it. */
    private final boolean postAllowed;
    private ScheduledExecutorService watcher;
    /** The hash of the file as last read, applied or not. */
    private String seen;
    /** The version of the file in force and what its reload changed, for {@code /-/flowmeter}. */
    private volatile Map<String, Object> version;
    private volatile Map<String, Object> lastRejected;
    private boolean detached;

    LiveOperations(String arguments, Set<String> instrumentationNames, RuleParser parser, AgentConfig config,
            Metrics metrics, Installation installation, MetricsServer server, PeriodicExports exports) {
        this.arguments = arguments;
        this.instrumentationNames = instrumentationNames;
        this.parser = parser;
        this.config = config;
        this.installation = installation;
        this.server = server;
        this.exports = exports;
        String path = config.values().get(Setting.CONFIG);
        this.file = path.isEmpty() ? null : Path.of(path);
        this.reloads = metrics.counter(Catalog.CONFIG_RELOADS);
        reloads.labelValues("applied");
        reloads.labelValues("rejected");
        this.postAllowed = config.security().user() != null || isLoopback(config.host());
        this.seen = file == null ? null : hash(file);
        if (seen != null) {
            Map<String, Object> started = new LinkedHashMap<>();
            started.put("path", path);
            started.put("sha256", seen);
            started.put("applied_at", Instant.now().toString());
            this.version = started;
        }
        current = this;
    }

    /** Starts watching the config file where {@code reload=true}. */
    synchronized void watch() {
        Duration interval = config.reloadInterval();
        if (interval == null || file == null) {
            return;
        }
        watcher = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread daemon = new Thread(runnable, "flowmeter-reload");
            daemon.setDaemon(true);
            return daemon;
        });
        watcher.scheduleWithFixedDelay(this::reloadIfChanged, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    private synchronized void reloadIfChanged() {
        try {
            String hash = hash(file);
            if (!detached && hash != null && !hash.equals(seen)) {
                reload();
            }
        } catch (RuntimeException | Error unexpected) {
            Report.limited("reload", "watching " + file + " failed; the rules in force stay: " + unexpected);
        }
    }

    /** Reads the config file and applies its rules, or changes nothing if it has any error; what happened. */
    synchronized Map<String, Object> reload() {
        if (detached) {
            return rejected(null, "the agent is detached");
        }
        if (file == null) {
            return rejected(null, "no config file was given at start (config=PATH)");
        }
        String hash = hash(file);
        seen = hash;
        AgentConfig read;
        try {
            read = new ConfigParser(instrumentationNames, Catalog.HISTOGRAMS).parse(arguments, Startup.systemProperties(), System.getenv());
        } catch (ConfigException invalid) {
            return rejected(hash, invalid.getMessage());
        }
        RuleSet rules = parser.ruleSet(RuleSet.USER_RULES, null, false, read.rules());
        if (!rules.problems().isEmpty()) {
            return rejected(hash, rules.problems().get(0));
        }
        List<String> needsRestart = new ArrayList<>();
        for (Setting setting : Setting.values()) {
            if (!config.values().get(setting).equals(read.values().get(setting))) {
                needsRestart.add(setting.key());
            }
        }
        if (config.isDisabled(RuleSet.USER_RULES)) {
            return rejected(hash, "the rules are disabled (disable=" + RuleSet.USER_RULES + ")");
        }
        long started = System.nanoTime();
        Installation.Changes changes;
        try {
            changes = installation.reload(rules, read.rules());
        } catch (IllegalArgumentException | IllegalStateException refused) {
            return rejected(hash, refused.getMessage());
        }
        Map<String, Object> applied = new LinkedHashMap<>();
        applied.put("result", "applied");
        applied.put("path", file.toString());
        applied.put("sha256", hash);
        applied.put("applied_at", Instant.now().toString());
        applied.put("added", changes.added);
        applied.put("changed", changes.changed);
        applied.put("removed", changes.removed);
        applied.put("unchanged", changes.unchanged);
        applied.put("classes_retransformed", changes.retransformed);
        applied.put("millis", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        applied.put("needs_restart", needsRestart);
        version = applied;
        reloads.labelValues("applied").inc();
        Report.line("applied " + file + " (sha256 " + hash.substring(0, 12) + "): added " + changes.added
                + ", changed " + changes.changed + ", removed " + changes.removed + ", " + changes.retransformed
                + " classes retransformed" + (needsRestart.isEmpty() ? "" : "; needs a restart: " + needsRestart));
        return applied;
    }

    private Map<String, Object> rejected(String hash, String reason) {
        Map<String, Object> rejected = new LinkedHashMap<>();
        rejected.put("result", "rejected");
        rejected.put("sha256", hash);
        rejected.put("at", Instant.now().toString());
        rejected.put("reason", reason);
        lastRejected = rejected;
        reloads.labelValues("rejected").inc();
        Report.line((file == null ? "reload" : file) + " not applied: " + reason
                + "; the rules in force stay");
        return rejected;
    }

    /** The file's version in force, what its last reload changed, and the last file rejected, for {@code /-/flowmeter}. */
    @Override
    public Map<String, Object> describe() {
        Map<String, Object> described = new LinkedHashMap<>();
        described.put("version", version);
        described.put("last_rejected", lastRejected);
        described.put("reload", config.reloadInterval() == null ? "off" : "every " + config.values().get(Setting.RELOAD_INTERVAL));
        return described;
    }

    /**
     * Takes the agent out of the JVM: restores the classes it changed, writes the periodic outputs a
     * last time and stops them, stops the server, and leaves the JVM ready for another attach.
     */
    synchronized String detach() {
        if (detached) {
            return "already detached";
        }
        detached = true;
        if (watcher != null) {
            watcher.shutdownNow();
        }
        long started = System.nanoTime();
        int restored = installation.remove();
        if (exports != null) {
            exports.stop();
        }
        if (server != null) {
            server.stop();
        }
        current = null;
        System.clearProperty(Cli.URL_PROPERTY);
        String done = "detached in " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started) + " ms; " + restored
                + " classes restored to their original bytecode";
        System.setProperty(Cli.DETACHED_PROPERTY, done);
        Report.line(done);
        AgentEntry.detached();
        return done;
    }

    /** Detaches the agent running in this JVM; what happened. */
    static String detachCurrent() {
        LiveOperations running = current;
        if (running == null) {
            String inactive = "not running (it was loaded and is inactive; nothing to restore)";
            System.setProperty(Cli.DETACHED_PROPERTY, inactive);
            System.clearProperty(Cli.INACTIVE_PROPERTY);
            AgentEntry.detached();
            return inactive;
        }
        return running.detach();
    }

    @Override
    public boolean serves(String path) {
        return path.equals(RELOAD_PATH) || path.equals(DETACH_PATH);
    }

    /** {@code POST /-/reload} and {@code POST /-/detach}. */
    @Override
    public void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        if (!exchange.getRequestMethod().equals("POST")) {
            MetricsServer.respond(exchange, 405, "text/plain; charset=utf-8", "POST " + path + "\n");
        } else if (!postAllowed) {
            MetricsServer.respond(exchange, 403, "text/plain; charset=utf-8", path + " needs auth_user, or host bound to loopback"
                    + " (such as 127.0.0.1)\n");
        } else if (path.equals(RELOAD_PATH)) {
            Map<String, Object> result = reload();
            MetricsServer.respond(exchange, result.get("result").equals("applied") ? 200 : 422, "application/json", Json.write(result));
        } else {
            MetricsServer.respond(exchange, 202, "text/plain; charset=utf-8", "detaching\n");
            // after the answer: the server that carries it stops
            Thread detaching = new Thread(LiveOperations::detachCurrent, "flowmeter-detach");
            detaching.setDaemon(true);
            detaching.start();
        }
    }

    private static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (IOException unknown) {
            return false;
        }
    }

    /** The SHA-256 of the file's bytes in hex; null where it cannot be read. */
    private static String hash(Path file) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file));
            StringBuilder hex = new StringBuilder();
            for (byte b : digest) {
                hex.append(String.format("%02x", b));
            }
            return hex.toString();
        } catch (IOException | NoSuchAlgorithmException unreadable) {
            return null;
        }
    }
}
