package dev.flowmeter.agent.instrumentation.conductor;

import static dev.flowmeter.agent.probe.Expression.parse;

import dev.flowmeter.agent.metrics.Role;
import dev.flowmeter.agent.probe.Condition;
import dev.flowmeter.agent.probe.HttpStatusScope;
import dev.flowmeter.agent.probe.Instrumentation;
import dev.flowmeter.agent.probe.Rule;
import dev.flowmeter.agent.probe.ThreadLabel;
import java.util.List;

/**
 * The Conductor Java client (org.conductoross:conductor-client 4.x): task polls, executions and
 * updates, workflow starts, and every API request, from its public API.
 */
public final class ConductorInstrumentation {

    public static final String NAME = "conductor";

    private static final String TASK_CLIENT = "com.netflix.conductor.client.http.TaskClient";
    private static final String WORKER = "com.netflix.conductor.client.worker.Worker";
    private static final String WORKFLOW_CLIENT = "com.netflix.conductor.client.http.WorkflowClient";
    private static final String CONDUCTOR_CLIENT = "com.netflix.conductor.client.http.ConductorClient";

    private ConductorInstrumentation() {}

    public static Instrumentation create() {
        // A TaskResult carries no task type: the update takes the one its thread just executed.
        ThreadLabel executedTaskType = new ThreadLabel("task_type");
        // ConductorClient#execute returns no status for void calls; handleResponse sees every response.
        HttpStatusScope http = new HttpStatusScope();
        return new Instrumentation(NAME, "org.conductoross:conductor-client 4.0.10", List.of(
                Rule.on(TASK_CLIENT, "batchPollTasksInDomain").parameters(5).named("conductor.task_poll")
                        .timed(Role.TASK_POLL)
                        .label("task_type", parse("arg0"))
                        .build(),
                Rule.on(WORKER, "execute").parameters(1).named("conductor.task_execute")
                        .timed(Role.TASK_EXECUTE)
                        .label("task_type", executedTaskType.remember(parse("arg0.getTaskDefName()")))
                        .failedWhen(parse("return.getStatus()"), "FAILED", "FAILED_WITH_TERMINAL_ERROR")
                        .build(),
                Rule.on(TASK_CLIENT, "updateTask").parameters(1).named("conductor.task_update")
                        .timed(Role.TASK_UPDATE)
                        .label("task_type", executedTaskType.recall())
                        .build(),
                Rule.on(TASK_CLIENT, "updateTaskV2").parameters(1).named("conductor.task_update_v2")
                        .timed(Role.TASK_UPDATE)
                        .label("task_type", executedTaskType.recall())
                        .build(),
                Rule.on(WORKER, "paused").parameters(0).named("conductor.task_paused")
                        .counted(Role.TASK_PAUSED, new Condition(parse("return"), "true"))
                        .label("task_type", parse("this.getTaskDefName()"))
                        .build(),
                Rule.on(WORKFLOW_CLIENT, "startWorkflow").parameters(1).named("conductor.workflow_start")
                        .timed(Role.WORKFLOW_START)
                        .label("workflow_type", parse("arg0.getName()"))
                        .build(),
                Rule.on(CONDUCTOR_CLIENT, "execute").parameters(2).named("conductor.api_request")
                        .timed(Role.API_REQUEST)
                        .within(http)
                        .label("method", parse("arg0.getMethod()"))
                        .label("uri", parse("arg0.getPath()"))
                        .label("status", http.label())
                        .build(),
                Rule.on(CONDUCTOR_CLIENT, "handleResponse").parameters(2).named("conductor.api_response")
                        .build(http.report(parse("arg0.code()")), 0)));
    }
}
