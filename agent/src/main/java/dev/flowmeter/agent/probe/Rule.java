package dev.flowmeter.agent.probe;

import dev.flowmeter.agent.bootstrap.Probe;
import dev.flowmeter.agent.metrics.Metrics;
import dev.flowmeter.agent.metrics.Role;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One instrumented method and what it records: which type (and every subtype), which method
 * (every overload, or those with a given parameter count), and the probe its advice calls. Built-in
 * instrumentations are lists of rules.
 */
public final class Rule {

    public static final int ANY_PARAMETERS = -1;

    private final String name;
    private final String typeName;
    private final String methodName;
    private final int parameterCount;
    private final int argumentIndex;
    private final ProbeFactory probe;

    private Rule(Builder builder, int argumentIndex, ProbeFactory probe) {
        this.name = builder.name;
        this.typeName = builder.typeName;
        this.methodName = builder.methodName;
        this.parameterCount = builder.parameterCount;
        this.argumentIndex = argumentIndex;
        this.probe = probe;
    }

    public static Builder on(String typeName, String methodName) {
        return new Builder(typeName, methodName);
    }

    public String name() {
        return name;
    }

    public String typeName() {
        return typeName;
    }

    public String methodName() {
        return methodName;
    }

    /** The parameter count that selects the overload, or {@link #ANY_PARAMETERS}. */
    public int parameterCount() {
        return parameterCount;
    }

    /** The one argument the probe reads, or {@link LabelSource#NO_ARGUMENT}. */
    public int argumentIndex() {
        return argumentIndex;
    }

    public Probe probe(Metrics metrics) {
        return probe.create(metrics, name);
    }

    @Override
    public String toString() {
        return name + " (" + typeName + "#" + methodName + ")";
    }

    public static final class Builder {
        private final String typeName;
        private final String methodName;
        private String name;
        private int parameterCount = ANY_PARAMETERS;
        private Role role;
        private boolean timed;
        private CallScope scope;
        private Condition condition;
        private final Map<String, LabelSource> labels = new LinkedHashMap<>();

        private Builder(String typeName, String methodName) {
            this.typeName = typeName;
            this.methodName = methodName;
            this.name = typeName.substring(typeName.lastIndexOf('.') + 1) + "#" + methodName;
        }

        public Builder named(String name) {
            this.name = name;
            return this;
        }

        public Builder parameters(int count) {
            this.parameterCount = count;
            return this;
        }

        /** Times the call and records the role's families. */
        public Builder timed(Role role) {
            this.role = role;
            this.timed = true;
            return this;
        }

        /** Opens {@code scope} around the timed call. */
        public Builder within(CallScope scope) {
            this.scope = scope;
            return this;
        }

        /** Counts calls in the role's counter, when {@code when} holds. */
        public Builder counted(Role role, Condition when) {
            this.role = role;
            this.timed = false;
            this.condition = when;
            return this;
        }

        /** A call that returns normally still counts as FAILURE when this holds. */
        public Builder failedWhen(LabelSource source, String... values) {
            this.condition = new Condition(source, values);
            return this;
        }

        public Builder label(String label, LabelSource source) {
            labels.put(label, source);
            return this;
        }

        public Rule build() {
            List<LabelSource> sources = new ArrayList<>();
            for (String label : role.keyLabels()) {
                LabelSource source = labels.get(label);
                if (source == null) {
                    throw new IllegalArgumentException(name + ": role " + role + " needs label " + label);
                }
                sources.add(source);
            }
            if (!role.keyLabels().containsAll(labels.keySet())) {
                throw new IllegalArgumentException(name + ": role " + role + " takes only labels " + role.keyLabels());
            }
            List<LabelSource> read = new ArrayList<>(sources);
            if (condition != null) {
                read.add(condition.source());
            }
            LabelSource[] array = sources.toArray(new LabelSource[0]);
            Role role = this.role;
            CallScope scope = this.scope;
            Condition condition = this.condition;
            ProbeFactory factory = timed
                    ? (metrics, rule) -> new TimedProbe(metrics, rule, metrics.role(role), array, condition, scope)
                    : (metrics, rule) -> new CountingProbe(metrics, rule, metrics.role(role), array, condition);
            return new Rule(this, argumentIndex(read), factory);
        }

        /** For a probe that records no family of its own; it reads the argument {@code argumentIndex}. */
        public Rule build(ProbeFactory probe, int argumentIndex) {
            return new Rule(this, argumentIndex, probe);
        }

        private int argumentIndex(List<LabelSource> sources) {
            int index = LabelSource.NO_ARGUMENT;
            for (LabelSource source : sources) {
                int read = source.argumentIndex();
                if (read != LabelSource.NO_ARGUMENT && index != LabelSource.NO_ARGUMENT && read != index) {
                    throw new IllegalArgumentException(name + ": a rule reads one argument, not arg" + index
                            + " and arg" + read);
                }
                if (read != LabelSource.NO_ARGUMENT) {
                    index = read;
                }
            }
            if (parameterCount != ANY_PARAMETERS && index >= parameterCount) {
                throw new IllegalArgumentException(name + ": reads arg" + index + " of a method with "
                        + parameterCount + " parameters");
            }
            return index;
        }
    }
}
