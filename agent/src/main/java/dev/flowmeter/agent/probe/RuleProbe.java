package dev.flowmeter.agent.probe;

import dev.flowmeter.agent.bootstrap.Probe;
import dev.flowmeter.agent.metrics.Metrics;
import java.util.concurrent.atomic.AtomicBoolean;

/** A probe that belongs to a named rule: its failures are counted under that name and reported once. */
abstract class RuleProbe extends Probe {

    private final Metrics metrics;
    private final String rule;
    private final AtomicBoolean reported = new AtomicBoolean();

    RuleProbe(Metrics metrics, String rule) {
        this.metrics = metrics;
        this.rule = rule;
    }

    @Override
    public final void failed(Throwable error) {
        try {
            metrics.adviceError(rule);
            if (reported.compareAndSet(false, true)) {
                System.err.println("flowmeter: rule " + rule + " failed and records nothing for this call"
                        + " (counted in flowmeter_advice_errors_total, reported once): " + error);
            }
        } catch (Throwable ignored) {
            // the application must not see the agent fail
        }
    }
}
