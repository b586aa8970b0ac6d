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

    /**
     * The configuration of {@code values}, every setting's text, and of the configuration file's
     * structured keys; each typed field parsed from its setting here, in one place. {@code disabled}
     * (checked against the built-in instrumentations' names) and {@code security} come parsed.
     *
     * @throws ConfigException where a setting's text is not of its type, saying what to give instead
     */
    AgentConfig(Map<Setting, String> values, Set<String> disabled, Map<String, double[]> bucketsPerMetric, String path,
            Map<String, Object> file,
            ServerSecurity security, List<String> warnings) throws ConfigException {
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
        this.port = values.get(Setting.PORT).equals(OFF) ? NO_SERVER : ConfigParser.port(values.get(Setting.PORT));
        this.host = ConfigParser.host(values.get(Setting.HOST));
        this.timers = ConfigParser.timers(values.get(Setting.TIMERS));
        this.disabled = Collections.unmodifiableSet(new LinkedHashSet<>(disabled));
        this.maxSeries = ConfigParser.positive(Setting.MAX_SERIES, values.get(Setting.MAX_SERIES));
        this.maxSeriesPerMetric = Collections.unmodifiableMap(new LinkedHashMap<>(
                ConfigParser.maxSeriesPerMetric(path, file.get(ConfigParser.MAX_SERIES_PER_METRIC))));
        this.bucketsPerMetric = Collections.unmodifiableMap(new LinkedHashMap<>(bucketsPerMetric));
        this.maxPendingWorkflows = ConfigParser.positive(Setting.MAX_PENDING_WORKFLOWS, values.get(Setting.MAX_PENDING_WORKFLOWS));
        this.maxWorkflowAge = ConfigParser.duration(Setting.MAX_WORKFLOW_AGE, values.get(Setting.MAX_WORKFLOW_AGE));
        this.extensions = ConfigParser.list(values.get(Setting.EXTENSIONS));
        this.rules = List.copyOf(ConfigParser.rules(path, file.get(ConfigParser.RULES)));
        this.security = security;
        this.warnings = List.copyOf(warnings);
        this.jvm = ConfigParser.bool(Setting.JVM, values.get(Setting.JVM));
        this.textfile = values.get(Setting.TEXTFILE);
        this.textfileInterval = ConfigParser.duration(Setting.TEXTFILE_INTERVAL, values.get(Setting.TEXTFILE_INTERVAL));
        this.pushgateway = ConfigParser.pushgateway(values.get(Setting.PUSHGATEWAY));
        this.job = ConfigParser.job(values.get(Setting.JOB));
        this.pushgatewayInterval = ConfigParser.duration(Setting.PUSHGATEWAY_INTERVAL, values.get(Setting.PUSHGATEWAY_INTERVAL));
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
