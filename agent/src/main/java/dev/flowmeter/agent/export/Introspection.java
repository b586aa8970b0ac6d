package dev.flowmeter.agent.export;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.flowmeter.agent.config.AgentConfig;
import dev.flowmeter.agent.config.Setting;
import dev.flowmeter.agent.metrics.Catalog;
import dev.flowmeter.agent.metrics.Metrics;
import dev.flowmeter.agent.probe.RuleState;
import dev.flowmeter.agent.transform.Installation;
import dev.flowmeter.agent.transform.InstrumentationState;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;

/**
 * Answers "why is my method not measured?": {@code GET /-/flowmeter} shows the configuration in
 * effect, each instrumentation and rule with its status, the methods each has matched so far and
 * its advice errors; {@code flowmeter_instrumented_methods} counts the methods on /metrics.
 */
public final class Introspection implements HttpHandler, MultiCollector {

    /** The agent's operations on its JVM (reload, detach), which answer their own paths of the server. */
    public interface Operations extends HttpHandler {
        /** Whether {@code path} is one of the operations'. */
        boolean serves(String path);

        /** The config file's version in force and what its last reload did, for {@code /-/flowmeter}. */
        Map<String, Object> describe();
    }


    static final String PATH = "/-/flowmeter";
    private static final Pattern SECRET = Pattern.compile("(?i).*(password|secret|token|credential).*");

    private final AgentConfig config;
    private final String version;
    /** Those disabled; the rest are the installation's. */
    private final List<InstrumentationState> disabled = new CopyOnWriteArrayList<>();
    private volatile Installation installation;
    private volatile Operations live;
    private final List<Map<String, Object>> extensions = new CopyOnWriteArrayList<>();

    public Introspection(AgentConfig config, String version, Metrics metrics) {
        this.config = config;
        this.version = version;
        metrics.register(this);
    }

    public void add(List<InstrumentationState> states) {
        disabled.addAll(states);
    }

    public void installed(Installation installation, Operations live) {
        this.installation = installation;
        this.live = live;
    }

    private List<InstrumentationState> instrumentations() {
        List<InstrumentationState> all = new ArrayList<>();
        if (installation != null) {
            all.addAll(installation.states());
        }
        all.addAll(disabled);
        return all;
    }

    void addExtension(String jar, String status, List<String> collectors) {
        Map<String, Object> extension = new LinkedHashMap<>();
        extension.put("jar", jar);
        extension.put("status", status);
        extension.put("collectors", collectors);
        extensions.add(extension);
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try {
            String path = exchange.getRequestURI().getPath();
            Operations operations = live;
            if (operations != null && operations.serves(path)) {
                operations.handle(exchange);
            } else if (path.equals(PATH)) {
                MetricsServer.respond(exchange, 200, "application/json", Json.write(document()));
            } else {
                MetricsServer.respond(exchange, 404, "text/plain; charset=utf-8", "Not found; try /metrics or " + PATH + "\n");
            }
        } finally {
            exchange.close();
        }
    }

    Map<String, Object> document() {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("version", version);
        Map<String, Object> settings = new LinkedHashMap<>();
        config.values().forEach((setting, value) -> settings.put(setting.key(), masked(setting, value)));
        document.put("config", settings);
        if (live != null) {
            document.put("config_file", live.describe());
        }
        List<Object> list = new ArrayList<>();
        for (InstrumentationState state : instrumentations()) {
            Map<String, Object> instrumentation = new LinkedHashMap<>();
            instrumentation.put("name", state.instrumentation().name());
            instrumentation.put("status", state.status().name().toLowerCase(Locale.ROOT));
            if (state.reason() != null) {
                instrumentation.put("reason", state.reason());
            }
            if (state.instrumentation().testedWith() != null) {
                instrumentation.put("tested_with", state.instrumentation().testedWith());
            }
            instrumentation.put("problems", state.instrumentation().problems());
            List<Object> rules = new ArrayList<>();
            for (RuleState rule : state.rules()) {
                Map<String, Object> described = new LinkedHashMap<>();
                described.put("name", rule.rule().name());
                described.put("class", rule.rule().typeName());
                described.put("method", rule.rule().onConstructors() ? "<init>" : rule.rule().methodName());
                described.put("status", rule.skipped() != null ? "skipped" : "enabled");
                if (rule.skipped() != null) {
                    described.put("reason", rule.skipped());
                }
                described.put("matched", rule.matchedMethods());
                described.put("advice_errors", rule.errors());
                rules.add(described);
            }
            instrumentation.put("rules", rules);
            list.add(instrumentation);
        }
        document.put("instrumentations", list);
        document.put("extensions", extensions);
        return document;
    }

    private static String masked(Setting setting, String value) {
        return SECRET.matcher(setting.key()).matches() && !value.isEmpty() ? "***" : value;
    }

    @Override
    public MetricSnapshots collect() {
        List<GaugeSnapshot.GaugeDataPointSnapshot> points = new ArrayList<>();
        for (InstrumentationState state : instrumentations()) {
            points.add(new GaugeSnapshot.GaugeDataPointSnapshot(state.instrumentedMethods(),
                    Labels.of(Catalog.INSTRUMENTED_METHODS.labelNames().get(0), state.instrumentation().name()), null));
        }
        return MetricSnapshots.of(new GaugeSnapshot(
                new MetricMetadata(Catalog.INSTRUMENTED_METHODS.name(), Catalog.INSTRUMENTED_METHODS.help()), points));
    }

    @Override
    public List<String> getPrometheusNames() {
        return List.of(Catalog.INSTRUMENTED_METHODS.name());
    }
}
