package dev.flowmeter.agent.metrics;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/** A metric family as users see it on /metrics: name, type, help and label names. */
public final class MetricFamily {

    public enum Type {
        COUNTER("counter"),
        TIMER("timer"),
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

    public MetricFamily(String name, Type type, String help, String... labelNames) {
        this.name = name;
        this.type = type;
        this.help = help;
        this.labelNames = Collections.unmodifiableList(Arrays.asList(labelNames));
    }

    /** The name as exposed, with {@code _total} for counters and {@code _seconds} for timers. */
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

    public String[] labelNameArray() {
        return labelNames.toArray(new String[0]);
    }
}
