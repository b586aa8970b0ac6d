package dev.flowmeter.agent.metrics;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/** A metric family as users see it on /metrics: name, type, help and label names. */
public final class MetricFamily {

    public enum Type {
        COUNTER("counter"),
        TIMER("timer"),
        HISTOGRAM("histogram"),
        GAUGE("gauge"),
        STATE_SET("stateset"),
        INFO("info");

        private final String label;

        Type(String label) {
            this.label = label;
        }

        /** As the README's metric table writes it. */
        @Override
        public String toString() {
            return label;
        }
    }

    private final String name;
    private final Type type;
    private final String help;
    private final List<String> labelNames;
    private final double[] buckets;

    public MetricFamily(String name, Type type, String help, String... labelNames) {
        this(name, type, help, null, labelNames);
    }

    /** @param buckets the classic buckets' upper bounds of a timer or histogram, or null for the defaults */
    public MetricFamily(String name, Type type, String help, double[] buckets, String... labelNames) {
        this.name = name;
        this.type = type;
        this.help = help;
        this.buckets = buckets == null ? null : buckets.clone();
        this.labelNames = Collections.unmodifiableList(Arrays.asList(labelNames));
    }

    /**
     * The name as exposed, with {@code _total} for counters and {@code _seconds} for timers; a
     * histogram of values is named as its rule or the Conductor SDKs name it.
     */
    public String name() {
        return name;
    }

    public Type type() {
        return type;
    }

    public String help() {
        return help;
    }

    public List<String> labelNames() {
        return labelNames;
    }

    /** The classic buckets' upper bounds its definition gives, or null where the defaults apply. */
    public double[] buckets() {
        return buckets == null ? null : buckets.clone();
    }

    public String[] labelNameArray() {
        return labelNames.toArray(new String[0]);
    }
}
