package dev.flowmeter.agent.metrics;

import dev.flowmeter.agent.config.AgentConfig;
import dev.flowmeter.agent.config.HistogramKind;
import dev.flowmeter.agent.config.Naming;
import dev.flowmeter.agent.config.TimerKind;
import io.prometheus.metrics.config.PrometheusProperties;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.core.metrics.Info;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import io.prometheus.metrics.tracer.initializer.SpanContextSupplier;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToIntFunction;

/**
 * The agent's own registry and the metric families in it. Never the application's default
 * registry: the agent's client_java is relocated, so the two cannot even see each other.
 */
public final class Metrics {

    private final PrometheusRegistry registry = new PrometheusRegistry();
    // Explicit defaults: relocation also rewrote client_java's property keys, so nothing outside
    // the agent can configure this copy by accident.
    private final PrometheusProperties properties = PrometheusProperties.builder().build();
    private final TimerKind timerKind;
    private final Naming naming;
    private final HistogramKind histogramKind;
    /** A built-in histogram's buckets from buckets_per_metric, by name, or null. */
    private final Function<String, double[]> bucketsPerMetric;
    private final ToIntFunction<String> maxSeries;
    private final int maxPendingWorkflows;
    private final Duration maxWorkflowAge;
    private final Map<String, RoleMetrics> roles = new HashMap<>();
    private final Map<String, ValueHistogram> histograms = new HashMap<>();
    private final Counter adviceErrors;
    private final Counter seriesDropped;
    private WorkflowLifecycle workflows;
    private EngineStatus engines;

    public Metrics(AgentConfig config, String version) {
        this(config.timers(), config.naming(), config.histograms(), config::buckets, config::maxSeries,
                config.maxPendingWorkflows(), config.maxWorkflowAge(), version);
    }

    public Metrics(TimerKind timerKind, ToIntFunction<String> maxSeries, int maxPendingWorkflows,
            Duration maxWorkflowAge, String version) {
        this(timerKind, Naming.PROMETHEUS, HistogramKind.CLASSIC, name -> null, maxSeries, maxPendingWorkflows,
                maxWorkflowAge, version);
    }

    public Metrics(TimerKind timerKind, Naming naming, HistogramKind histogramKind,
            Function<String, double[]> bucketsPerMetric, ToIntFunction<String> maxSeries, int maxPendingWorkflows,
            Duration maxWorkflowAge, String version) {
        this.timerKind = timerKind;
        this.naming = naming;
        this.histogramKind = histogramKind;
        this.bucketsPerMetric = bucketsPerMetric;
        this.maxSeries = maxSeries;
        this.maxPendingWorkflows = maxPendingWorkflows;
        this.maxWorkflowAge = maxWorkflowAge;
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

    /**
     * The families of a role, registered once and shared by every rule of that role.
     *
     * @throws IllegalArgumentException if a family's name is taken by another metric
     */
    public synchronized RoleMetrics role(Role role) {
        RoleMetrics existing = roles.get(role.name());
        if (existing != null) {
            return existing;
        }
        RoleMetrics created = new RoleMetrics(role,
                role.timer() == null ? null : timer(role.timer()),
                role.calls() == null ? null : counter(role.calls()),
                role.errors() == null ? null : counter(role.errors()),
                role.active() == null ? null : gauge(role.active()),
                role.last() == null ? null : gauge(role.last()),
                maxSeries.applyAsInt(role.primary().name()),
                droppedCounter(role.primary()),
                role.errors() == null ? 0 : maxSeries.applyAsInt(role.errors().name()),
                role.errors() == null ? null : droppedCounter(role.errors()));
        roles.put(role.name(), created);
        return created;
    }

    /**
     * The histogram a rule records values in, registered by the first rule that names it; a built-in
     * one ({@link Catalog#TASK_RESULT_SIZE}) labelled as the naming says.
     *
     * @throws IllegalArgumentException if its name is taken by another metric, or an earlier rule made
     *     it with other labels or buckets
     */
    public synchronized ValueHistogram histogram(MetricFamily family) {
        double[] buckets = buckets(family);
        ValueHistogram existing = histograms.get(family.name());
        if (existing != null) {
            existing.checkSame(family, buckets);
            return existing;
        }
        ValueHistogram made = new ValueHistogram(family, buckets, histogram(named(family), null, buckets),
                maxSeries.applyAsInt(family.name()), droppedCounter(family));
        histograms.put(family.name(), made);
        return made;
    }

    /** Workflow durations and in-flight workflows, pairing starts with ends by id. */
    public synchronized WorkflowLifecycle workflows() {
        if (workflows == null) {
            workflows = new WorkflowLifecycle(timer(Catalog.WORKFLOW_DURATION), gauge(Catalog.WORKFLOW_ACTIVE),
                    counter(Catalog.UNPAIRED_WORKFLOWS), maxPendingWorkflows, maxWorkflowAge,
                    maxSeries.applyAsInt(Catalog.WORKFLOW_DURATION.name()), droppedCounter(Catalog.WORKFLOW_DURATION));
        }
        return workflows;
    }

    /** The state of each engine. */
    public synchronized EngineStatus engines() {
        if (engines == null) {
            engines = new EngineStatus(registry, properties, maxSeries.applyAsInt(Catalog.ENGINE_STATUS.name()),
                    droppedCounter(Catalog.ENGINE_STATUS));
        }
        return engines;
    }

    /** Counts errors inside the agent's instrumentation under {@code rule}, which shows 0 until one happens. */
    public Runnable adviceErrorCounter(String rule) {
        return adviceErrors.labelValues(rule)::inc;
    }

    public int maxSeries(String metric) {
        return maxSeries.applyAsInt(metric);
    }

    /** Counts a recording that went to {@code _other_} because {@code family} was at its cap. */
    public Runnable droppedCounter(MetricFamily family) {
        return seriesDropped.labelValues(family.name())::inc;
    }

    public void register(MultiCollector collector) {
        registry.register(collector);
    }

    /**
     * A built-in family as the naming spells its labels (the Conductor SDKs' {@code taskType}, say);
     * the user's families as the user named them.
     */
    private MetricFamily named(MetricFamily family) {
        if (!Catalog.ALL.contains(family)) {
            return family;
        }
        String[] labels = family.labelNameArray();
        for (int i = 0; i < labels.length; i++) {
            labels[i] = naming.label(labels[i]);
        }
        return new MetricFamily(family.name(), family.type(), family.help(), family.buckets(), labels);
    }

    private Timer timer(MetricFamily unnamed) {
        MetricFamily family = named(unnamed);
        return timerKind == TimerKind.SUMMARY
                ? new WindowSummaryTimer(family, registry)
                : new HistogramTimer(histogram(family, Unit.SECONDS, buckets(unnamed)));
    }

    /** A family's classic buckets: from buckets_per_metric, else its definition's, else the timers' defaults. */
    private double[] buckets(MetricFamily family) {
        double[] buckets = Catalog.ALL.contains(family) ? bucketsPerMetric.apply(family.name()) : null;
        if (buckets == null) {
            buckets = family.buckets();
        }
        return buckets != null ? buckets : HistogramTimer.BUCKETS.clone();
    }

    /**
     * A histogram family with the buckets that the histograms setting keeps: client_java's classic
     * histogram, or the agent's {@link NativeHistogram}. Where the OpenTelemetry Java agent runs in
     * the JVM (found through its own API, which it puts in the bootstrap class loader), the
     * observations made while a sampled span is current carry its trace and span id as exemplars, a
     * few per series, at most one per bucket every 90 ms; elsewhere no exemplar is sampled, and an
     * observation does nothing more.
     */
    private Function<String[], DistributionDataPoint> histogram(MetricFamily family, Unit unit, double[] buckets) {
        boolean exemplars = SpanContextSupplier.hasSpanContext();
        if (histogramKind != HistogramKind.CLASSIC) {
            double[] classic = histogramKind == HistogramKind.BOTH ? buckets : null;
            NativeHistogram histogram = new NativeHistogram(family, unit, classic,
                    exemplars ? properties.getExemplarProperties() : null);
            registry.register(histogram);
            return histogram::labelValues;
        }
        Histogram.Builder builder = Histogram.builder(properties)
                .name(family.name())
                .help(family.help())
                .labelNames(family.labelNameArray())
                .classicOnly()
                .classicUpperBounds(buckets);
        if (exemplars) {
            builder.withExemplars();
        } else {
            builder.withoutExemplars();
        }
        if (unit != null) {
            builder.unit(unit);
        }
        return builder.register(registry)::labelValues;
    }

    private Gauge gauge(MetricFamily unnamed) {
        MetricFamily family = named(unnamed);
        return Gauge.builder(properties)
                .name(family.name())
                .help(family.help())
                .labelNames(family.labelNameArray())
                .withoutExemplars()
                .register(registry);
    }

    public Counter counter(MetricFamily unnamed) {
        MetricFamily family = named(unnamed);
        return Counter.builder(properties)
                .name(family.name())
                .help(family.help())
                .labelNames(family.labelNameArray())
                .withoutExemplars()
                .register(registry);
    }
}
