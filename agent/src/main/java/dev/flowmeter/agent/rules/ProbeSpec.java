package dev.flowmeter.agent.rules;

import dev.flowmeter.agent.metrics.MetricFamily;
import dev.flowmeter.agent.metrics.Role;
import dev.flowmeter.agent.rules.expr.Condition;
import dev.flowmeter.agent.rules.expr.Expression;
import dev.flowmeter.agent.rules.expr.LabelSource;
import java.util.List;

/**
 * What a rule records, as {@link RuleParser} compiled it: one kind per kind of probe, each carrying
 * what that probe is made with. It holds no run-time state: the probe, with its scopes and the
 * thread's shared labels, is made from it by the agent's run time ({@code probe.ProbeMaker}), a step
 * of its own. The kinds are the nested classes, and no others.
 */
public abstract class ProbeSpec {

    /** The status label of an API call that got no response, as when it threw. */
    public static final String NO_RESPONSE = "error";

    private ProbeSpec() {}

    /**
     * A rule's key labels, in the order of its family's label names: each one's source, and whether
     * the rule shares it with later rules on the same thread ({@code share}).
     */
    public static final class Labels {
        private final String[] names;
        private final LabelSource[] sources;
        private final boolean[] shared;

        Labels(List<String> names, List<LabelSource> sources, List<String> sharedNames) {
            this.names = names.toArray(new String[0]);
            this.sources = sources.toArray(new LabelSource[0]);
            this.shared = new boolean[this.names.length];
            for (int i = 0; i < this.names.length; i++) {
                shared[i] = sharedNames.contains(this.names[i]);
            }
        }

        public int size() {
            return names.length;
        }

        public String name(int i) {
            return names[i];
        }

        /** The source of label {@code i}; null for the HTTP status of the API call in progress. */
        public LabelSource source(int i) {
            return sources[i];
        }

        public boolean shared(int i) {
            return shared[i];
        }
    }

    /** Times a call in its role's families (a role, or a rule's own timer and errors). */
    public static final class Timed extends ProbeSpec {
        private final Role role;
        private final Labels labels;
        private final Condition failure;
        private final LabelSource workflowId;
        private final boolean api;
        private final boolean async;
        private final boolean oncePerInstance;

        Timed(Role role, Labels labels, Condition failure, LabelSource workflowId, boolean api, boolean async,
                boolean oncePerInstance) {
            this.role = role;
            this.labels = labels;
            this.failure = failure;
            this.workflowId = workflowId;
            this.api = api;
            this.async = async;
            this.oncePerInstance = oncePerInstance;
        }

        public Role role() {
            return role;
        }

        public Labels labels() {
            return labels;
        }

        /** When a call that returns counts as failed; null for never. */
        public Condition failure() {
            return failure;
        }

        /** A workflow start's id, which opens the workflow's lifecycle; null for none. */
        public LabelSource workflowId() {
            return workflowId;
        }

        /** Whether this is an API call, nested API calls and the response's status its scope; else the rule's own calls are. */
        public boolean api() {
            return api;
        }

        public boolean async() {
            return async;
        }

        public boolean oncePerInstance() {
            return oncePerInstance;
        }
    }

    /** Counts calls, all or those that meet a condition. */
    public static final class Counting extends ProbeSpec {
        private final Role role;
        private final Labels labels;
        private final Condition when;

        Counting(Role role, Labels labels, Condition when) {
            this.role = role;
            this.labels = labels;
            this.when = when;
        }

        public Role role() {
            return role;
        }

        public Labels labels() {
            return labels;
        }

        /** null for every call. */
        public Condition when() {
            return when;
        }
    }

    /** Records a value each call yields in a histogram. */
    public static final class Histogram extends ProbeSpec {
        private final MetricFamily family;
        private final Labels labels;
        private final LabelSource value;
        private final Condition when;

        Histogram(MetricFamily family, Labels labels, LabelSource value, Condition when) {
            this.family = family;
            this.labels = labels;
            this.value = value;
            this.when = when;
        }

        public MetricFamily family() {
            return family;
        }

        public Labels labels() {
            return labels;
        }

        public LabelSource value() {
            return value;
        }

        /** null for every call. */
        public Condition when() {
            return when;
        }
    }

    /**
     * Ends a workflow: paired by {@code id} with its start in this JVM, or measured from the start
     * time it reads itself ({@code started_at}), with its own workflow type.
     */
    public static final class WorkflowEnd extends ProbeSpec {
        private final LabelSource workflowId;
        private final LabelSource startedAt;
        private final LabelSource workflowType;
        private final LabelSource status;
        private final Condition when;

        private WorkflowEnd(LabelSource workflowId, LabelSource startedAt, LabelSource workflowType, LabelSource status,
                Condition when) {
            this.workflowId = workflowId;
            this.startedAt = startedAt;
            this.workflowType = workflowType;
            this.status = status;
            this.when = when;
        }

        static WorkflowEnd paired(LabelSource workflowId, LabelSource status, Condition when) {
            return new WorkflowEnd(workflowId, null, null, status, when);
        }

        static WorkflowEnd since(LabelSource startedAt, LabelSource workflowType, LabelSource status, Condition when) {
            return new WorkflowEnd(null, startedAt, workflowType, status, when);
        }

        /** Whether the end pairs with its start by {@link #workflowId}; else it reads {@link #startedAt}. */
        public boolean paired() {
            return workflowId != null;
        }

        public LabelSource workflowId() {
            return workflowId;
        }

        public LabelSource startedAt() {
            return startedAt;
        }

        public LabelSource workflowType() {
            return workflowType;
        }

        /** The status label's source; null for SUCCESS, or FAILURE when the method throws. */
        public LabelSource status() {
            return status;
        }

        /** null for every call. */
        public Condition when() {
            return when;
        }
    }

    /** Moves an engine to a state. */
    public static final class EngineState extends ProbeSpec {
        private final LabelSource engine;
        private final String state;

        EngineState(LabelSource engine, String state) {
            this.engine = engine;
            this.state = state;
        }

        public LabelSource engine() {
            return engine;
        }

        public String state() {
            return state;
        }
    }

    /** Reports the HTTP status code of the API call in progress on the thread. */
    public static final class ApiResponse extends ProbeSpec {
        private final LabelSource code;

        ApiResponse(LabelSource code) {
            this.code = code;
        }

        public LabelSource code() {
            return code;
        }
    }

    /** A gauge sampled at scrape time from the live instances of the rule's class. */
    public static final class InstanceGauge extends ProbeSpec {
        private final MetricFamily family;
        private final Expression value;
        private final LabelSource[] labels;

        InstanceGauge(MetricFamily family, Expression value, LabelSource[] labels) {
            this.family = family;
            this.value = value;
            this.labels = labels;
        }

        public MetricFamily family() {
            return family;
        }

        public Expression value() {
            return value;
        }

        /** The labels' sources, in the order of the family's label names. */
        public LabelSource[] labels() {
            return labels.clone();
        }
    }
}
