package dev.flowmeter.agent.probe;

import dev.flowmeter.agent.metrics.RoleMetrics;
import dev.flowmeter.agent.metrics.RoleSeries;
import dev.flowmeter.agent.metrics.SeriesIndex;
import dev.flowmeter.agent.metrics.WorkflowLifecycle;
import dev.flowmeter.agent.rules.ProbeSpec;
import dev.flowmeter.agent.rules.expr.Condition;
import dev.flowmeter.agent.rules.expr.LabelSource;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;

/**
 * Times a call and records it in its role's families: timer by outcome, call count, errors by
 * exception. A workflow start with an id also opens the workflow's lifecycle: when the call begins
 * if its id and type are known then, since the workflow may end before the start call returns (an
 * engine that runs a workflow through within the call that starts it), and is forgotten if the
 * call throws; else when the call returns.
 *
 * <p>An asynchronous rule times a method that returns a {@link CompletionStage} until that stage
 * completes, and reads {@code return} and {@code thrown} from its result or failure. A rule measured
 * once per instance records only the first call on each object, for APIs whose later calls return
 * what the first one fetched.
 */
final class TimedProbe extends RuleProbe {

    /** What {@link #enter} returns for a call nested in another of its scope, which measures it instead. */
    private static final long NESTED = Long.MIN_VALUE;
    /** What {@link #enter} returns for a later call on an object measured once, which opens no scope. */
    private static final long NOT_FIRST = Long.MIN_VALUE + 1;

    private final SeriesIndex<RoleSeries> index;
    private final boolean countsActive;
    private final LabelSource[] labels;
    private final Condition failure;
    private final CallScope scope;
    private final LabelSource workflowId;
    private final WorkflowLifecycle workflows;
    private final boolean opensOnEnter;
    private final boolean async;
    private final SeenInstances measured;
    /**
     * The scope, when the series found on entry (for the calls in progress) is the one the exit
     * records in, so that the exit finds it in the thread's frame instead of walking the labels again.
     */
    private final NestingScope carries;

    /**
     * @param labels the key labels of {@code spec}, as the probe reads them (see {@link ProbeMaker})
     * @param scope where nested calls are measured once: the rule's own, or the API call's
     */
    TimedProbe(ProbeContext context, RoleMetrics role, LabelSource[] labels, ProbeSpec.Timed spec, CallScope scope) {
        super(context);
        LabelSource workflowId = spec.workflowId();
        this.index = role.index();
        this.countsActive = role.countsActive();
        this.labels = labels;
        this.failure = spec.failure();
        this.scope = scope;
        this.workflowId = workflowId;
        this.workflows = workflowId == null ? null : context.metrics().workflows();
        this.opensOnEnter = workflowId != null && !workflowId.readsOutcome() && !labels[0].readsOutcome();
        this.async = spec.async();
        this.measured = spec.oncePerInstance() ? new SeenInstances() : null;
        boolean outcomeLabels = false;
        for (LabelSource label : labels) {
            outcomeLabels |= label.readsOutcome();
        }
        this.carries = countsActive && !outcomeLabels && scope instanceof NestingScope ? (NestingScope) scope : null;
    }

    @Override
    public long enter(Object self, Object argument) {
        if (measured != null && self != null && !measured.first(self)) {
            return NOT_FIRST;
        }
        NestingScope.Frame frame = null;
        if (carries != null) {
            frame = carries.openFrame();
            if (frame == null) {
                return NESTED;
            }
        } else if (scope != null && !scope.open()) {
            return NESTED;
        }
        if (countsActive) {
            // Labels read from the return value are not known yet: a rule that counts calls in
            // progress takes its labels from the arguments and the object.
            if (frame != null) {
                // Cleared first: if the walk throws, the exit walks itself rather than take an earlier call's series.
                frame.carried = null;
            }
            RoleSeries series = series(labels, index, self, argument, null, null);
            series.begin();
            if (frame != null) {
                frame.carried = series;
            }
        }
        long entered = System.nanoTime();
        if (opensOnEnter) {
            workflows.started(workflowId.value(self, argument, null, null), labels[0].value(self, argument, null, null),
                    entered);
        }
        return entered;
    }

    @Override
    public void exit(long entered, Object self, Object argument, Object returned, Throwable thrown) {
        // A nested call opened no scope, so it has none to close, and reads no clock.
        if (entered == NESTED || entered == NOT_FIRST) {
            return;
        }
        long nanos = System.nanoTime() - entered;
        NestingScope.Frame frame = carries != null ? carries.frame() : null;
        try {
            RoleSeries series = frame != null ? (RoleSeries) frame.carried : null;
            if (frame != null) {
                frame.carried = null;
            }
            if (async && thrown == null && returned instanceof CompletionStage) {
                ((CompletionStage<?>) returned).whenComplete((result, failure) -> completed(entered, self, argument,
                        result, failure, series));
            } else {
                record(nanos, entered, self, argument, returned, thrown, series);
            }
        } finally {
            if (frame != null) {
                frame.open = false;
            } else if (scope != null) {
                scope.close();
            }
        }
    }

    /** Records an asynchronous call, on the thread that completes it. */
    private void completed(long entered, Object self, Object argument, Object result, Throwable failure,
            RoleSeries series) {
        long nanos = System.nanoTime() - entered;
        try {
            record(nanos, entered, self, argument, result, cause(failure), series);
        } catch (Throwable error) {
            failed(error);
        }
    }

    /** @param series the call's series if its entry found it, else null */
    private void record(long nanos, long entered, Object self, Object argument, Object returned, Throwable thrown,
            RoleSeries series) {
        boolean failed = thrown != null || (failure != null && failure.test(self, argument, returned, null));
        (series != null ? series : series(labels, index, self, argument, returned, thrown)).record(nanos, failed, thrown);
        if (workflows != null && opensOnEnter && thrown != null) {
            workflows.abandoned(workflowId.value(self, argument, null, null));
        } else if (workflows != null && !opensOnEnter && thrown == null) {
            workflows.started(workflowId.value(self, argument, returned, null),
                    labels[0].value(self, argument, returned, null), entered);
        }
    }

    /** What a stage failed with, rather than the wrapper that dependent stages see. */
    private static Throwable cause(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    /** Walks the index one label at a time; only a label set seen for the first time allocates. */
    @SuppressWarnings("unchecked")
    static <T> T series(LabelSource[] labels, SeriesIndex<T> index,
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
        return (T) node;
    }
}
