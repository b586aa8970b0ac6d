package dev.flowmeter.agent.probe;

import dev.flowmeter.agent.rules.Rule;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;

/** What a rule has done so far, for the introspection endpoint: the methods it matched and its errors. */
public final class RuleState {

    private final Rule rule;
    private final Set<String> matched = new TreeSet<>();
    private final AtomicLong errors = new AtomicLong();
    private volatile String skipped;

    public RuleState(Rule rule) {
        this.rule = rule;
    }

    public Rule rule() {
        return rule;
    }

    public synchronized void matched(String method) {
        matched.add(method);
    }

    public synchronized Set<String> matchedMethods() {
        return new TreeSet<>(matched);
    }

    public synchronized int matchedCount() {
        return matched.size();
    }

    void failed() {
        errors.incrementAndGet();
    }

    public long errors() {
        return errors.get();
    }

    public void skip(String reason) {
        skipped = reason;
    }

    /** Why the rule does not apply, or null. */
    public String skipped() {
        return skipped;
    }
}
