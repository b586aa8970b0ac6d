package dev.flowmeter.agent.probe;

import dev.flowmeter.agent.bootstrap.Probe;
import dev.flowmeter.agent.metrics.Metrics;
import dev.flowmeter.agent.rules.ProbeSpec;
import dev.flowmeter.agent.rules.Rule;
import dev.flowmeter.agent.rules.expr.LabelSource;
import dev.flowmeter.agent.rules.expr.SharedLabel;

/**
 * Makes the probe of a rule, from the {@link ProbeSpec} its parser compiled: registers the rule's
 * metric families where they are new, and gives the probe its part of the {@link RunTime}, the HTTP
 * status scope and the labels rules share on a thread. The one place a probe is made.
 */
public final class ProbeMaker {

    private final Metrics metrics;
    private final RunTime runTime;

    public ProbeMaker(Metrics metrics, RunTime runTime) {
        this.metrics = metrics;
        this.runTime = runTime;
    }

    /**
     * The probe of {@code state}'s rule.
     *
     * @throws RuntimeException where it cannot be made: a metric's name taken by another family, say
     */
    public Probe make(RuleState state) {
        Rule rule = state.rule();
        for (SharedLabel shared : rule.sharedLabels()) {
            runTime.bind(shared);
        }
        ProbeContext context = new ProbeContext(metrics, state);
        ProbeSpec spec = rule.probe();
        if (spec instanceof ProbeSpec.Timed) {
            ProbeSpec.Timed timed = (ProbeSpec.Timed) spec;
            CallScope scope = timed.api() ? runTime.http() : new NestingScope();
            return new TimedProbe(context, metrics.role(timed.role()), labels(timed.labels()), timed, scope);
        }
        if (spec instanceof ProbeSpec.Counting) {
            ProbeSpec.Counting counting = (ProbeSpec.Counting) spec;
            return new CountingProbe(context, metrics.role(counting.role()), labels(counting.labels()), counting.when());
        }
        if (spec instanceof ProbeSpec.Histogram) {
            ProbeSpec.Histogram histogram = (ProbeSpec.Histogram) spec;
            return new HistogramProbe(context, metrics.histogram(histogram.family()), labels(histogram.labels()),
                    histogram.value(), histogram.when());
        }
        if (spec instanceof ProbeSpec.WorkflowEnd) {
            ProbeSpec.WorkflowEnd end = (ProbeSpec.WorkflowEnd) spec;
            return end.paired() ? WorkflowEndProbe.paired(context, end.workflowId(), end.status(), end.when())
                    : WorkflowEndProbe.since(context, end.startedAt(), end.workflowType(), end.status(), end.when());
        }
        if (spec instanceof ProbeSpec.EngineState) {
            ProbeSpec.EngineState engine = (ProbeSpec.EngineState) spec;
            return new EngineStateProbe(context, engine.engine(), engine.state());
        }
        if (spec instanceof ProbeSpec.ApiResponse) {
            return runTime.http().report(context, ((ProbeSpec.ApiResponse) spec).code());
        }
        if (spec instanceof ProbeSpec.InstanceGauge) {
            ProbeSpec.InstanceGauge gauge = (ProbeSpec.InstanceGauge) spec;
            return new InstanceGaugeProbe(context, gauge.family(), gauge.value(), gauge.labels());
        }
        throw new IllegalArgumentException("rule " + rule.name() + " records nothing the agent knows: " + spec);
    }

    /**
     * A rule's key labels as its probe reads them: the HTTP status of the call in progress where the
     * rule gives none, and those it shares remembered for later rules on the same thread.
     */
    private LabelSource[] labels(ProbeSpec.Labels spec) {
        LabelSource[] labels = new LabelSource[spec.size()];
        for (int i = 0; i < labels.length; i++) {
            LabelSource source = spec.source(i) != null ? spec.source(i) : runTime.http().label();
            labels[i] = spec.shared(i) ? runTime.sharedLabel(spec.name(i)).remember(source) : source;
        }
        return labels;
    }
}
