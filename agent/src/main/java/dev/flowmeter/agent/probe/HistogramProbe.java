package dev.flowmeter.agent.probe;

import dev.flowmeter.agent.metrics.SeriesIndex;
import dev.flowmeter.agent.metrics.ValueHistogram;
import dev.flowmeter.agent.rules.expr.Condition;
import dev.flowmeter.agent.rules.expr.LabelSource;

/**
 * Records a value read from each call that returns normally (and meets the rule's condition, if it
 * has one) in a histogram: a payload's size, a batch's length, an age.
 */
final class HistogramProbe extends RuleProbe {

    private final SeriesIndex<ValueHistogram.Series> index;
    private final LabelSource[] labels;
    private final LabelSource value;
    private final Condition when;

    HistogramProbe(ProbeContext context, ValueHistogram histogram, LabelSource[] labels, LabelSource value,
            Condition when) {
        super(context);
        this.index = histogram.index();
        this.labels = labels;
        this.value = value;
        this.when = when;
    }

    @Override
    public void exit(long entered, Object self, Object argument, Object returned, Throwable thrown) {
        if (thrown == null && (when == null || when.test(self, argument, returned, null))) {
            double observed = value.number(self, argument, returned, null);
            TimedProbe.<ValueHistogram.Series>series(labels, index, self, argument, returned, null).observe(observed);
        }
    }
}
