package dev.flowmeter.agent.probe;

import dev.flowmeter.agent.metrics.Metrics;
import dev.flowmeter.agent.metrics.RoleMetrics;
import dev.flowmeter.agent.metrics.RoleSeries;
import dev.flowmeter.agent.metrics.SeriesIndex;

/** Times a call and records it in its role's families: timer by outcome, call count, errors by exception. */
final class TimedProbe extends RuleProbe {

    private final SeriesIndex<RoleSeries> index;
    private final LabelSource[] labels;
    private final Condition failure;
    private final CallScope scope;

    TimedProbe(Metrics metrics, String rule, RoleMetrics role, LabelSource[] labels, Condition failure, CallScope scope) {
        super(metrics, rule);
        this.index = role.index();
        this.labels = labels;
        this.failure = failure;
        this.scope = scope;
    }

    @Override
    public long enter(Object self, Object argument) {
        if (scope != null) {
            scope.open();
        }
        return System.nanoTime();
    }

    @Override
    public void exit(long entered, Object self, Object argument, Object returned, Throwable thrown) {
        long nanos = System.nanoTime() - entered;
        try {
            boolean failed = thrown != null || (failure != null && failure.test(self, argument, returned, null));
            series(labels, index, self, argument, returned, thrown).record(nanos, failed, thrown);
        } finally {
            if (scope != null) {
                scope.close();
            }
        }
    }

    /** Walks the index one label at a time; only a label set seen for the first time allocates. */
    static RoleSeries series(LabelSource[] labels, SeriesIndex<RoleSeries> index,
            Object self, Object argument, Object returned, Throwable thrown) {
        Object node = index.root();
        for (LabelSource label : labels) {
            node = SeriesIndex.step(node, label.value(self, argument, returned, thrown));
            if (node == null) {
                String[] values = new String[labels.length];
                for (int i = 0; i < labels.length; i++) {
                    values[i] = labels[i].value(self, argument, returned, thrown);
                }
                return index.create(values);
            }
        }
        return (RoleSeries) node;
    }
}
