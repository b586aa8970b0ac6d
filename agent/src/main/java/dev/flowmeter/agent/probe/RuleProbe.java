package dev.flowmeter.agent.probe;

import dev.flowmeter.agent.bootstrap.Probe;
import java.util.concurrent.atomic.AtomicBoolean;

/** A probe that belongs to a named rule: its failures are counted under that name and reported once. */
abstract class RuleProbe extends Probe {

    private final Runnable errors;
    private final RuleState state;
    private final AtomicBoolean reported = new AtomicBoolean();

    RuleProbe(ProbeContext context) {
        this.errors = context.metrics().adviceErrorCounter(context.state().rule().name());
        this.state = context.state();
    }

    @Override
    public final void failed(Throwable error) {
        try {
            state.failed();
            errors.run();
            if (reported.compareAndSet(false, true)) {
                System.err.println("flowmeter: rule " + state.rule().name() + " failed and records nothing for this"
                        + " call (counted in flowmeter_advice_errors_total, reported once): " + error);
            }
        } catch (Throwable ignored) {
            // the application must not see the agent fail
        }
    }
}
