package dev.flowmeter.agent.metrics;

import dev.flowmeter.agent.config.TimerKind;
import io.prometheus.metrics.config.PrometheusProperties;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Info;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.EnumMap;
import java.util.Map;

/**
 * The agent's own registry and the metric families in it. Never the application's default
 * registry: the agent's client_java is relocated, so the two cannot even see each other.
 */
public final class Metrics {

    /** Label sets per metric before new ones go to {@code _other_}. */
    public static final int DEFAULT_MAX_SERIES = 2000;

    private final PrometheusRegistry registry = new PrometheusRegistry();
    // Explicit defaults: relocation also rewrote client_java's property keys, so nothing outside
    // the agent can configure this copy by accident.
    private final PrometheusProperties properties = PrometheusProperties.builder().build();
    private final TimerKind timerKind;
    private final int maxSeries;
    private final Map<Role, RoleMetrics> roles = new EnumMap<>(Role.class);
    private final Counter adviceErrors;
    private final Counter seriesDropped;

    public Metrics(TimerKind timerKind, int maxSeries, String version) {
        this.timerKind = timerKind;
        this.maxSeries = maxSeries;
        this.adviceErrors = counter(Catalog.ADVICE_ERRORS);
        this.seriesDropped = counter(Catalog.SERIES_DROPPED);
        Info.builder(properties)
                .name(Catalog.FLOWMETER_INFO.name())
                .help(Catalog.FLOWMETER_INFO.help())
                .labelNames(Catalog.FLOWMETER_INFO.labelNameArray())
                .register(registry)
                .addLabelValues(version);
    }

    public PrometheusRegistry registry() {
        return registry;
    }

    public PrometheusProperties properties() {
        return properties;
    }

    /** The families of a role, registered once and shared by every rule of that role. */
    public synchronized RoleMetrics role(Role role) {
        return roles.computeIfAbsent(role, r -> new RoleMetrics(r,
                r.timer() == null ? null : timer(r.timer()),
                r.calls() == null ? null : counter(r.calls()),
                r.errors() == null ? null : counter(r.errors()),
                maxSeries,
                seriesDroppedCounter(r)));
    }

    /** Counts an error inside the agent's instrumentation, by rule name. */
    public void adviceError(String rule) {
        adviceErrors.labelValues(rule).inc();
    }

    private Runnable seriesDroppedCounter(Role role) {
        MetricFamily family = role.timer() != null ? role.timer() : role.calls();
        return seriesDropped.labelValues(family.name())::inc;
    }

    private Timer timer(MetricFamily family) {
        return timerKind == TimerKind.SUMMARY
                ? new WindowSummaryTimer(family, registry)
                : new HistogramTimer(family, properties, registry);
    }

    private Counter counter(MetricFamily family) {
        return Counter.builder(properties)
                .name(family.name())
                .help(family.help())
                .labelNames(family.labelNameArray())
                .withoutExemplars()
                .register(registry);
    }
}
