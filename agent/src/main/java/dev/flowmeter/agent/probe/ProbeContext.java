package dev.flowmeter.agent.probe;

import dev.flowmeter.agent.metrics.Metrics;

/** What a rule's probe is made with: the agent's metrics, and the rule's own state. */
public final class ProbeContext {
    private final Metrics metrics;
    private final RuleState state;

    ProbeContext(Metrics metrics, RuleState state) {
        this.metrics = metrics;
        this.state = state;
    }

    public Metrics metrics() {
        return metrics;
    }

    RuleState state() {
        return state;
    }
}
