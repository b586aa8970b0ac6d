package dev.flowmeter.agent.probe;

import dev.flowmeter.agent.metrics.Role;
import dev.flowmeter.agent.metrics.WorkflowLifecycle;
import dev.flowmeter.agent.rules.expr.Condition;
import dev.flowmeter.agent.rules.expr.LabelSource;

/**
 * Ends a workflow: its duration, by the end's status. Either paired by id with a start this JVM saw
 * (one fewer active), or measured from a start time the end reads itself, for engines whose starts
 * happen in other JVMs: a worker that closes a run knows when the run started, not who started it.
 */
final class WorkflowEndProbe extends RuleProbe {

    private final WorkflowLifecycle workflows;
    private final LabelSource workflowId;
    private final LabelSource startedAt;
    private final LabelSource workflowType;
    private final LabelSource status;
    private final Condition when;

    private WorkflowEndProbe(ProbeContext context, LabelSource workflowId, LabelSource startedAt,
            LabelSource workflowType, LabelSource status, Condition when) {
        super(context);
        this.workflows = context.metrics().workflows();
        this.workflowId = workflowId;
        this.startedAt = startedAt;
        this.workflowType = workflowType;
        this.status = status;
        this.when = when;
    }

    /**
     * @param status the status label's source, or null for SUCCESS, or FAILURE when the method throws
     * @param when whether a call ends a workflow, for a method that also serves other objects; null for every call
     */
    static WorkflowEndProbe paired(ProbeContext context, LabelSource workflowId, LabelSource status, Condition when) {
        return new WorkflowEndProbe(context, workflowId, null, null, status, when);
    }

    /** @param startedAt the run's start in epoch milliseconds, a {@link Number} */
    static WorkflowEndProbe since(ProbeContext context, LabelSource startedAt, LabelSource workflowType,
            LabelSource status, Condition when) {
        return new WorkflowEndProbe(context, null, startedAt, workflowType, status, when);
    }


    @Override
    public void exit(long entered, Object self, Object argument, Object returned, Throwable thrown) {
        // As documented for `when`: only calls that return normally and meet it end a workflow.
        if (when != null && (thrown != null || !when.test(self, argument, returned, null))) {
            return;
        }
        String outcome = status != null ? status.value(self, argument, returned, thrown)
                : thrown == null ? Role.SUCCESS : Role.FAILURE;
        if (startedAt == null) {
            workflows.ended(workflowId.value(self, argument, returned, thrown), outcome, System.nanoTime());
            return;
        }
        Object start = startedAt.evaluate(self, argument, returned, thrown);
        if (start != null && !(start instanceof Number)) {
            throw new IllegalStateException("started_at gave a " + start.getClass().getName()
                    + ", not a number of epoch milliseconds");
        }
        // Wall-clock time on both sides: the start was stamped by another machine (the engine's
        // server), so a monotonic clock of this JVM cannot be compared with it.
        workflows.endedSince(workflowType.value(self, argument, returned, thrown), outcome,
                start == null ? null : ((Number) start).longValue(), System.currentTimeMillis());
    }
}
