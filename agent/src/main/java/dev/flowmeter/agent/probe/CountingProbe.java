package dev.flowmeter.agent.probe;

import dev.flowmeter.agent.metrics.RoleMetrics;
import dev.flowmeter.agent.metrics.RoleSeries;
import dev.flowmeter.agent.metrics.SeriesIndex;
import dev.flowmeter.agent.rules.expr.Condition;
import dev.flowmeter.agent.rules.expr.LabelSource;

/**
 * Counts calls: all of them, or, with a condition on what they return, those that return normally
 * and meet it (a poll skipped because the worker is paused).
 */
final class CountingProbe extends RuleProbe {

    private final SeriesIndex<RoleSeries> index;
    private final LabelSource[] labels;
    private final Condition condition;

    CountingProbe(ProbeContext context, RoleMetrics role, LabelSource[] labels, Condition condition) {
        super(context);
        this.index = role.index();
        this.labels = labels;
        this.condition = condition;
    }


    @Override
    public void exit(long entered, Object self, Object argument, Object returned, Throwable thrown) {
        if (condition == null || (thrown == null && condition.test(self, argument, returned, null))) {
            TimedProbe.series(labels, index, self, argument, returned, thrown).count();
        }
    }
}
