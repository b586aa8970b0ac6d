package dev.flowmeter.agent.probe;

import dev.flowmeter.agent.bootstrap.Probe;
import dev.flowmeter.agent.report.Report;

/** A probe that belongs to a named rule: its failures are counted under that name and reported once. */
abstract class RuleProbe extends Probe {

    private final Runnable errors;
    private final RuleState state;

    RuleProbe(ProbeContext context) {
        this.errors = context.metrics().adviceErrorCounter(context.state().rule().name());
        this.state = context.state();
    }

    @Override
    public final void failed(Throwable error) {
        try {
            state.failed();
            errors.run();
            String rule = state.rule().name();
            Report.once("rule failed: " + rule, "rule " + rule + " failed and records nothing for this call"
                    + " (counted in flowmeter_advice_errors_total, reported once): " + error);
        } catch (Throwable ignored) {
            // the application must not see the agent fail
        }
    }
}
