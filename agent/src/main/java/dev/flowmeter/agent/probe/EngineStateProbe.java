package dev.flowmeter.agent.probe;

import dev.flowmeter.agent.metrics.EngineStatus;
import dev.flowmeter.agent.rules.expr.LabelSource;

/** Moves an engine to a state when the method that does so returns normally. */
final class EngineStateProbe extends RuleProbe {

    private final EngineStatus engines;
    private final LabelSource engine;
    private final String state;

    EngineStateProbe(ProbeContext context, LabelSource engine, String state) {
        super(context);
        this.engines = context.metrics().engines();
        this.engine = engine;
        this.state = state;
    }


    @Override
    public void exit(long entered, Object self, Object argument, Object returned, Throwable thrown) {
        if (thrown == null) {
            engines.set(engine.value(self, argument, returned, null), state);
        }
    }
}
