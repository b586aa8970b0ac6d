package dev.flowmeter.agent.transform;

import dev.flowmeter.agent.probe.RuleState;
import dev.flowmeter.agent.rules.RuleSet;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** An instrumentation as the introspection endpoint shows it: enabled, disabled or skipped, and its rules. */
public final class InstrumentationState {

    public enum Status { ENABLED, DISABLED, SKIPPED }

    private final RuleSet instrumentation;
    private final List<RuleState> rules = new ArrayList<>();
    private volatile Status status;
    private volatile String reason;

    InstrumentationState(RuleSet instrumentation, Status status, String reason) {
        this.instrumentation = instrumentation;
        this.status = status;
        this.reason = reason;
        instrumentation.rules().forEach(rule -> rules.add(new RuleState(rule)));
    }

    /** Enabled user's rules after a reload, with the states of the rules it kept. */
    InstrumentationState(RuleSet instrumentation, List<RuleState> rules) {
        this.instrumentation = instrumentation;
        this.status = Status.ENABLED;
        this.rules.addAll(rules);
    }

    public static InstrumentationState disabled(RuleSet instrumentation) {
        return new InstrumentationState(instrumentation, Status.DISABLED, "disable=" + instrumentation.name());
    }

    public RuleSet instrumentation() {
        return instrumentation;
    }

    public List<RuleState> rules() {
        return Collections.unmodifiableList(rules);
    }

    public Status status() {
        return status;
    }

    /** Why the instrumentation is disabled or skipped, or null. */
    public String reason() {
        return reason;
    }

    void skip(String why) {
        status = Status.SKIPPED;
        reason = why;
    }

    public int instrumentedMethods() {
        int count = 0;
        for (RuleState rule : rules) {
            count += rule.matchedCount();
        }
        return count;
    }
}
