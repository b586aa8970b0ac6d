package dev.flowmeter.testapp;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the test app counted itself: the ground truth for the agent's metrics, served as JSON by
 * {@code GET /api/stats}. Every workflow type and task type is always present (zero if nothing happened);
 * {@code exceptions} lists only exception classes that were thrown; {@code api} is sorted by uri, method, status.
 * Example, after {@code --workflows 200} with the default seed and fail rate:
 *
 * <pre>
 * {
 *   "engine": "RUNNING",                       // or "PAUSED"
 *   "workflows": {
 *     "started":   {"order_fulfillment": 105, "report_generation": 95},
 *     "completed": {"order_fulfillment": 87,  "report_generation": 95},
 *     "failed":    {"order_fulfillment": 18,  "report_generation": 0},
 *     "rejected":  {"unregistered_flow": 2}    // start requests for unknown workflow types (HTTP 404)
 *   },
 *   "tasks": {
 *     "executions": {                          // counted by the workers, by outcome
 *       "charge_payment": {"success": 87, "failed_result": 8,
 *                          "exceptions": {"IllegalStateException": 6, "PaymentDeclinedException": 4}},
 *       "render_report":  {"success": 95, "failed_result": 0, "exceptions": {}}, ...
 *     },
 *     "updates": {"charge_payment": 115, ...},  // update requests (POST /tasks, /tasks/update-v2) for known tasks,
 *                                              // including those answered with an injected 500
 *     "polls":   {"charge_payment": 85, ...},   // batch poll requests, including empty and failed (500) ones
 *     "paused":  {"render_report": 5, ...},     // polls skipped because the worker said it was paused
 *     "queue_full": {"ship_order": 12, ...},    // poll cycles of a worker not paused that polled nothing, as every
 *                                              // worker thread was busy: cycles minus batch poll requests
 *                                              // (exact with taskUpdateV2 off: on, a cycle may take the task an
 *                                              // update returned, without a request)
 *     "finished": {"charge_payment": 105, ...}  // tasks ended by their result, as the server saw it: one per
 *                                              // execution, wherever the workers run (executions and paused
 *                                              // are counted by the workers, so only in --mode all)
 *   },
 *   "external_payloads": {"TASK_OUTPUT": 95}, // payloads the workers wrote to external payload storage, by type
 *                                              // (render_report's results, too large to send inline)
 *   "api": [{"method": "GET", "uri": "/tasks/poll/batch/{taskType}", "status": 200, "count": 292}, ...],
 *   "payloads": {                              // bytes conductor-client measured (its payload thresholds enforced)
 *     "task_result_size": {"charge_payment": {"count": 115, "sum": 9470}, ...},  // as its TaskClient's listener
 *                                              // hears (published asynchronously, so a moment after the update)
 *     "workflow_input_size": {"order_fulfillment": {"count": 105, "sum": 1744}, ...}  // the input as JSON, counted
 *                                              // by the load driver before each start, rejected ones included
 *   },
 *   "all_finished": true,                      // all expected workflows started, and every started one finished
 *   "in_flight": 0,                            // started but not yet finished workflows
 *   "queued": 0,                               // tasks waiting in the engine's queues for a worker
 *   "tasks_in_progress": 0                     // tasks handed to a worker whose result has not come back
 * }
 * </pre>
 *
 * {@code api} counts every Conductor API request by method, conductor-client's path template relative to
 * {@code /api}, and the returned status, and every upload to the external payload storage the server plays
 * ({@code PUT /external-storage/{id}}); {@code /api/stats} and {@code /api/engine/*} are not counted.
 * conductor-client's TaskRunner sends the result of an execution that threw twice, so
 * {@code updates = success + failed_result + 2 * exceptions}, and the second update may arrive just after
 * {@code all_finished} turned true. All methods are synchronized so that a snapshot never holds a request's
 * {@code api} count without its poll or update count.
 */
final class Stats {

    private final Integer expectedWorkflows;
    private final Map<String, Long> started = zeros(Engine.WORKFLOWS.keySet());
    private final Map<String, Long> completed = zeros(Engine.WORKFLOWS.keySet());
    private final Map<String, Long> failed = zeros(Engine.WORKFLOWS.keySet());
    private final Map<String, Long> rejected = new TreeMap<>();
    private final Map<String, Execution> executions = new TreeMap<>();
    private final Map<String, Long> updates = zeros(Engine.TASK_TYPES);
    private final Map<String, Long> polls = zeros(Engine.TASK_TYPES);
    private final Map<String, Long> pausedPolls = zeros(Engine.TASK_TYPES);
    private final Map<String, Long> pollCycles = zeros(Engine.TASK_TYPES);
    private final Map<String, Long> externalPayloads = new TreeMap<>();
    private final Map<String, Long> finishedTasks = zeros(Engine.TASK_TYPES);
    private final Map<String, long[]> taskResultSizes = new TreeMap<>();
    private final Map<String, long[]> workflowInputSizes = new TreeMap<>();
    private final Map<ApiCall, Long> api = new TreeMap<>(Comparator.comparing(ApiCall::uri)
            .thenComparing(ApiCall::method).thenComparingInt(ApiCall::status));

    /** @param expectedWorkflows how many workflows will be started, or null for an endless load */
    Stats(Integer expectedWorkflows) {
        this.expectedWorkflows = expectedWorkflows;
        Engine.TASK_TYPES.forEach(type -> executions.put(type, new Execution()));
    }

    // One synchronized method per event, each one Map.merge, on purpose: a shared helper would be no shorter than
    // merge itself, and the call sites name what happened.
    synchronized void workflowStarted(String workflowType) {
        started.merge(workflowType, 1L, Long::sum);
    }

    synchronized void workflowCompleted(String workflowType) {
        completed.merge(workflowType, 1L, Long::sum);
    }

    synchronized void workflowFailed(String workflowType) {
        failed.merge(workflowType, 1L, Long::sum);
    }

    /** A start request for a workflow type the engine does not know. */
    synchronized void workflowRejected(String workflowType) {
        rejected.merge(workflowType, 1L, Long::sum);
    }

    /** A task's result came back and ended it: what the server knows of executions, wherever the workers run. */
    synchronized void taskFinished(String taskType) {
        finishedTasks.merge(taskType, 1L, Long::sum);
    }

    /** A worker said it was paused, so its poll was skipped. */
    synchronized void paused(String taskType) {
        pausedPolls.merge(taskType, 1L, Long::sum);
    }

    /** A worker that is not paused is about to poll, if a worker thread is free. */
    synchronized void pollCycle(String taskType) {
        pollCycles.merge(taskType, 1L, Long::sum);
    }

    /** A worker asked where to write a payload, of a type such as TASK_OUTPUT, to external storage. */
    synchronized void externalPayload(String payloadType) {
        externalPayloads.merge(payloadType, 1L, Long::sum);
    }

    synchronized void executed(String taskType, boolean success) {
        Execution execution = executions.get(taskType);
        if (success) {
            execution.success++;
        } else {
            execution.failedResult++;
        }
    }

    synchronized void threw(String taskType, Exception exception) {
        executions.get(taskType).exceptions.merge(exception.getClass().getSimpleName(), 1L, Long::sum);
    }

    synchronized void taskResultSize(String taskType, long bytes) {
        add(taskResultSizes, taskType, bytes);
    }

    synchronized void workflowInputSize(String workflowType, long bytes) {
        add(workflowInputSizes, workflowType, bytes);
    }

    private static void add(Map<String, long[]> sizes, String key, long bytes) {
        long[] countAndSum = sizes.computeIfAbsent(key, k -> new long[2]);
        countAndSum[0]++;
        countAndSum[1] += bytes;
    }

    private static Map<String, Object> sizes(Map<String, long[]> sizes) {
        Map<String, Object> json = new TreeMap<>();
        sizes.forEach((key, countAndSum) -> json.put(key, ordered("count", countAndSum[0], "sum", countAndSum[1])));
        return json;
    }

    /** @param taskType the polled or updated task's type, or null if the request concerns no known task */
    synchronized void apiCall(String method, String uri, int status, String taskType) {
        api.merge(new ApiCall(method, uri, status), 1L, Long::sum);
        if (taskType == null) {
            return;
        }
        switch (uri) {
            case ConductorApiServer.POLL -> polls.merge(taskType, 1L, Long::sum);
            case ConductorApiServer.UPDATE, ConductorApiServer.UPDATE_V2 -> updates.merge(taskType, 1L, Long::sum);
            default -> throw new IllegalArgumentException("No per task type count for " + uri);
        }
    }

    synchronized Map<String, Object> snapshot(boolean paused, int queued, int tasksInProgress) {
        long startedCount = sum(started.values());
        long inFlight = startedCount - sum(completed.values()) - sum(failed.values());
        // Workflows started by other clients count too, so more than expected can have been started.
        boolean allStarted = expectedWorkflows == null ? startedCount > 0 : startedCount >= expectedWorkflows;

        Map<String, Object> executionsJson = new LinkedHashMap<>();
        executions.forEach((type, execution) -> executionsJson.put(type, ordered(
                "success", execution.success,
                "failed_result", execution.failedResult,
                "exceptions", new TreeMap<>(execution.exceptions))));
        Map<String, Long> queueFull = new TreeMap<>();
        pollCycles.forEach((type, cycles) -> queueFull.put(type, cycles - polls.get(type)));
        List<Map<String, Object>> apiJson = new ArrayList<>();
        api.forEach((call, count) -> apiJson.add(ordered(
                "method", call.method(), "uri", call.uri(), "status", call.status(), "count", count)));

        return ordered(
                "engine", paused ? "PAUSED" : "RUNNING",
                "workflows", ordered("started", new TreeMap<>(started), "completed", new TreeMap<>(completed),
                        "failed", new TreeMap<>(failed), "rejected", new TreeMap<>(rejected)),
                "tasks", ordered("executions", executionsJson, "updates", new TreeMap<>(updates),
                        "polls", new TreeMap<>(polls), "paused", new TreeMap<>(pausedPolls), "queue_full", queueFull,
                        "finished", new TreeMap<>(finishedTasks)),
                "external_payloads", new TreeMap<>(externalPayloads),
                "api", apiJson,
                "payloads", ordered("task_result_size", sizes(taskResultSizes),
                        "workflow_input_size", sizes(workflowInputSizes)),
                "all_finished", allStarted && inFlight == 0,
                "in_flight", inFlight,
                "queued", queued,
                "tasks_in_progress", tasksInProgress);
    }

    private static Map<String, Long> zeros(Collection<String> keys) {
        Map<String, Long> map = new TreeMap<>();
        keys.forEach(key -> map.put(key, 0L));
        return map;
    }

    private static long sum(Collection<Long> values) {
        return values.stream().mapToLong(Long::longValue).sum();
    }

    private static Map<String, Object> ordered(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    private record ApiCall(String method, String uri, int status) {
    }

    private static final class Execution {
        long success;
        long failedResult;
        final Map<String, Long> exceptions = new TreeMap<>();
    }
}
