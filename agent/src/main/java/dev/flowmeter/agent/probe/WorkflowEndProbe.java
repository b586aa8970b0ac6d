package dev.flowmeter.agent.probe;

import dev.flowmeter.agent.metrics.Role;
import dev.flowmeter.agent.metrics.WorkflowLifecycle;

/** Ends a workflow paired by id with its start: its duration, by the end's status, and one fewer active. */
final class WorkflowEndProbe extends RuleProbe {

    private final WorkflowLifecycle workflows;
    private final LabelSource workflowId;
    private final LabelSource status;
    private final Condition when;

    /**
     * @param status the status label's source, or null for SUCCESS, or FAILURE when the method throws
     * @param when whether a call ends a workflow, for a method that also serves other objects; null for every call
     */
    WorkflowEndProbe(ProbeContext context, LabelSource workflowId, LabelSource status, Condition when) {
        super(context);
        this.workflows = context.metrics().workflows();
        this.workflowId = workflowId;
        this.status = status;
        this.when = when;
    }

    @Override
    public long enter(Object self, Object argument) {
        return 0L;
    }

    @Override
    public void exit(long entered, Object self, Object argument, Object returned, Throwable thrown) {
        if (when != null && !when.test(self, argument, returned, thrown)) {
            return;
        }
        String outcome = status != null ? status.value(self, argument, returned, thrown)
                : thrown == null ? Role.SUCCESS : Role.FAILURE;
        workflows.ended(workflowId.value(self, argument, returned, thrown), outcome, System.nanoTime());
    }
}
