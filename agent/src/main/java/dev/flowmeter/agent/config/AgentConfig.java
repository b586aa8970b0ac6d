package dev.flowmeter.agent.config;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The configuration in effect, after every source has been read and checked. */
public final class AgentConfig {

    /** The value that turns an optional feature off. */
    public static final String OFF = "off";

    /** The port when no metrics server is wanted ({@code port=off}). */
    public static final int NO_SERVER = -1;

    private final Map<Setting, String> values;
    private final int port;
    private final String host;
    private final TimerKind timers;
    private final Set<String> disabled;
    private final int maxSeries;
    private final Map<String, Integer> maxSeriesPerMetric;
    private final Map<String, double[]> bucketsPerMetric;
    private final int maxPendingWorkflows;
    private final Duration maxWorkflowAge;
    private final List<String> extensions;
    private final List<Map<String, Object>> rules;
    private final ServerSecurity security;
    private final List<String> warnings;
    private final boolean jvm;
    private final String textfile;
    private final Duration textfileInterval;
    private final String pushgateway;
    private final String job;
    private final Duration pushgatewayInterval;

    AgentConfig(Map<Setting, String> values, int port, String host, TimerKind timers, Set<String> disabled,
            int maxSeries, Map<String, Integer> maxSeriesPerMetric, Map<String, double[]> bucketsPerMetric,
            int maxPendingWorkflows, Duration maxWorkflowAge,
            List<String> extensions, List<Map<String, Object>> rules, ServerSecurity security, List<String> warnings,
            boolean jvm, String textfile, Duration textfileInterval, String pushgateway, String job,
            Duration pushgatewayInterval) {
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
        this.port = port;
        this.host = host;
        this.timers = timers;
        this.disabled = Collections.unmodifiableSet(new LinkedHashSet<>(disabled));
        this.maxSeries = maxSeries;
        this.maxSeriesPerMetric = Collections.unmodifiableMap(new LinkedHashMap<>(maxSeriesPerMetric));
        this.bucketsPerMetric = Collections.unmodifiableMap(new LinkedHashMap<>(bucketsPerMetric));
        this.maxPendingWorkflows = maxPendingWorkflows;
        this.maxWorkflowAge = maxWorkflowAge;
        this.extensions = List.copyOf(extensions);
        this.rules = List.copyOf(rules);
        this.security = security;
        this.warnings = List.copyOf(warnings);
        this.jvm = jvm;
        this.textfile = textfile;
        this.textfileInterval = textfileInterval;
        this.pushgateway = pushgateway;
        this.job = job;
        this.pushgatewayInterval = pushgatewayInterval;
    }

    /** How the built-in families name their labels; checked when the configuration was parsed. */
    public Naming naming() {
        return Naming.valueOf(values.get(Setting.NAMING).toUpperCase(java.util.Locale.ROOT));
    }

    /** How histograms keep their buckets; checked when the configuration was parsed. */
    public HistogramKind histograms() {
        return HistogramKind.valueOf(values.get(Setting.HISTOGRAMS).toUpperCase(java.util.Locale.ROOT));
    }

    /** The names {@code buckets_per_metric} gives bucket bounds for, in the file's order. */
    public Set<String> bucketsPerMetricNames() {
        return bucketsPerMetric.keySet();
    }

    /** A built-in histogram's bucket bounds from {@code buckets_per_metric}, by its exposed name; null if not given. */
    public double[] buckets(String metric) {
        double[] bounds = bucketsPerMetric.get(metric);
        return bounds == null ? null : bounds.clone();
    }

    /** How long one computed exposition serves every scrape; null where each scrape computes its own. */
    public Duration scrapeCache() {
        String value = values.get(Setting.SCRAPE_CACHE);
        return value.equals(OFF) ? null : ConfigParser.positiveDuration(value);
    }

    /** The weave_cache setting: {@code on}, {@code off} or a directory (see {@link Setting#WEAVE_CACHE}). */
    public String weaveCache() {
        return values.get(Setting.WEAVE_CACHE);
    }

    /** How often the config file is looked at for rules to apply, or null where it is not watched. */
    public Duration reloadInterval() {
        return Boolean.parseBoolean(values.get(Setting.RELOAD))
                ? ConfigParser.positiveDuration(values.get(Setting.RELOAD_INTERVAL)) : null;
    }

    public boolean jvm() {
        return jvm;
    }

    /** The file to write the metrics to, or empty. */
    public String textfile() {
        return textfile;
    }

    public Duration textfileInterval() {
        return textfileInterval;
    }

    /** The Pushgateway's URL, or empty. */
    public String pushgateway() {
        return pushgateway;
    }

    public String job() {
        return job;
    }

    public Duration pushgatewayInterval() {
        return pushgatewayInterval;
    }

    public ServerSecurity security() {
        return security;
    }

    /** What the user should change, though the agent runs as configured. */
    public List<String> warnings() {
        return warnings;
    }

    /** Every setting as given or defaulted, for the introspection endpoint. */
    public Map<Setting, String> values() {
        return values;
    }

    public int port() {
        return port;
    }

    public String host() {
        return host;
    }

    public TimerKind timers() {
        return timers;
    }

    public boolean isDisabled(String instrumentation) {
        return disabled.contains(instrumentation);
    }

    public Set<String> disabled() {
        return disabled;
    }

    /**
     * The series cap of a metric, by its exposed name: its own from {@code max_series_per_metric}
     * (where a counter may be named with or without {@code _total}), or {@code max_series}.
     */
    public int maxSeries(String metric) {
        Integer own = maxSeriesPerMetric.get(metric);
        if (own == null && metric.endsWith("_total")) {
            own = maxSeriesPerMetric.get(metric.substring(0, metric.length() - "_total".length()));
        }
        return own != null ? own : maxSeries;
    }

    public int maxPendingWorkflows() {
        return maxPendingWorkflows;
    }

    public Duration maxWorkflowAge() {
        return maxWorkflowAge;
    }

    public List<String> extensions() {
        return extensions;
    }

    /** The file's rules, unparsed: a bad rule is reported and skipped on its own, the others apply. */
    public List<Map<String, Object>> rules() {
        return rules;
    }
}
