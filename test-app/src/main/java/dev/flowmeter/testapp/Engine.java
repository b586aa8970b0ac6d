package dev.flowmeter.testapp;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import com.netflix.conductor.common.metadata.tasks.Task;
import com.netflix.conductor.common.metadata.tasks.TaskResult;

/**
 * In-memory workflow engine: a workflow runs its task types one after another, each task waiting in
 * the queue of its task type until a worker polls it. A failed task fails its workflow (no retries).
 * Thread-safe: every method holds the engine's monitor, which is also what long polls wait on.
 */
final class Engine {

    /** How a workflow ends. */
    enum Outcome { COMPLETED, FAILED }

    private static final String NAME = "test-app";

    static final SortedMap<String, List<String>> WORKFLOWS = Collections.unmodifiableSortedMap(new TreeMap<>(Map.of(
            "order_fulfillment", List.of("validate_order", "charge_payment", "ship_order"),
            "report_generation", List.of("validate_order", "render_report"))));

    static final SortedSet<String> TASK_TYPES = Collections.unmodifiableSortedSet(
            WORKFLOWS.values().stream().flatMap(List::stream).collect(Collectors.toCollection(TreeSet::new)));

    private final Stats stats;
    private final Map<String, Deque<TaskRun>> queues = new HashMap<>();
    // Finished tasks are kept because the client re-sends results for tasks whose worker threw.
    private final Map<String, TaskRun> tasks = new HashMap<>();
    private boolean paused;
    private long finished;

    Engine(Stats stats) {
        this.stats = stats;
    }

    /** @param workflowType one of {@link #WORKFLOWS} */
    synchronized String start(String workflowType, Map<String, Object> input) {
        WorkflowRun workflow = new WorkflowRun(UUID.randomUUID().toString(), workflowType,
                input == null ? Map.of() : new HashMap<>(input));
        stats.workflowStarted(workflowType);
        schedule(workflow, 0);
        return workflow.id;
    }

    /** Waits up to {@code timeoutMillis} for at least one task, like Conductor's long poll. */
    synchronized List<Task> poll(String taskType, String workerId, int count, long timeoutMillis)
            throws InterruptedException {
        Deque<TaskRun> queue = queue(taskType);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (paused || queue.isEmpty()) {
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                return List.of();
            }
            TimeUnit.NANOSECONDS.timedWait(this, remaining);
        }
        List<Task> polled = new ArrayList<>();
        while (polled.size() < count && !queue.isEmpty()) {
            TaskRun task = queue.poll();
            task.status = Task.Status.IN_PROGRESS;
            polled.add(task.toTask(workerId));
        }
        return polled;
    }

    /**
     * Applies a worker's result; results for tasks that already finished are ignored, as Conductor does.
     *
     * @return the task's type, or empty if there is no such task
     * @throws IllegalArgumentException if the result has no status
     */
    synchronized Optional<String> update(TaskResult result) {
        if (result.getStatus() == null) {
            throw new IllegalArgumentException("Task result without status");
        }
        TaskRun task = tasks.get(result.getTaskId());
        if (task == null) {
            return Optional.empty();
        }
        if (!task.status.isTerminal()) {
            switch (result.getStatus()) {
                case COMPLETED -> {
                    task.status = Task.Status.COMPLETED;
                    stats.taskFinished(task.type);
                    WorkflowRun workflow = task.workflow;
                    if (task.position + 1 < WORKFLOWS.get(workflow.type).size()) {
                        schedule(workflow, task.position + 1);
                    } else {
                        finish(workflow, Outcome.COMPLETED);
                    }
                }
                case FAILED, FAILED_WITH_TERMINAL_ERROR -> {
                    task.status = Task.Status.valueOf(result.getStatus().name());
                    stats.taskFinished(task.type);
                    finish(task.workflow, Outcome.FAILED);
                }
                case IN_PROGRESS -> {
                    task.status = Task.Status.SCHEDULED;
                    queue(task.type).add(task);
                    notifyAll();
                }
            }
        }
        return Optional.of(task.type);
    }

    /** The type of a known task. */
    synchronized Optional<String> taskType(String taskId) {
        TaskRun task = tasks.get(taskId);
        return task == null ? Optional.empty() : Optional.of(task.type);
    }

    synchronized void pause() {
        paused = true;
    }

    synchronized void resume() {
        paused = false;
        notifyAll();
    }

    /** Marks the engine running; engines of this kind report their lifecycle from these methods. */
    synchronized void launch() {
        paused = false;
    }

    /** Hands out no more tasks. */
    synchronized void shutdown() {
        paused = true;
        notifyAll();
    }

    String getName() {
        return NAME;
    }

    /** Tasks handed to a worker whose result has not come back yet. */
    synchronized int tasksInProgress() {
        int inProgress = 0;
        for (TaskRun task : tasks.values()) {
            if (task.status == Task.Status.IN_PROGRESS) {
                inProgress++;
            }
        }
        return inProgress;
    }

    /** Tasks waiting in the queues for a worker. */
    synchronized int queuedTasks() {
        int queued = 0;
        for (Deque<TaskRun> queue : queues.values()) {
            queued += queue.size();
        }
        return queued;
    }

    synchronized boolean isPaused() {
        return paused;
    }

    /** @return how many workflows have finished, at least {@code count} */
    synchronized long awaitFinished(long count) throws InterruptedException {
        while (finished < count) {
            wait();
        }
        return finished;
    }

    private void schedule(WorkflowRun workflow, int position) {
        TaskRun task = new TaskRun(UUID.randomUUID().toString(), WORKFLOWS.get(workflow.type).get(position),
                workflow, position);
        tasks.put(task.id, task);
        queue(task.type).add(task);
        notifyAll();
    }

    private void finish(WorkflowRun workflow, Outcome outcome) {
        if (outcome == Outcome.COMPLETED) {
            stats.workflowCompleted(workflow.type);
        } else {
            stats.workflowFailed(workflow.type);
        }
        finished++;
        notifyAll();
    }

    private Deque<TaskRun> queue(String taskType) {
        return queues.computeIfAbsent(taskType, type -> new ArrayDeque<>());
    }

    private record WorkflowRun(String id, String type, Map<String, Object> input) {
    }

    private static final class TaskRun {
        final String id;
        final String type;
        final WorkflowRun workflow;
        final int position;
        Task.Status status = Task.Status.SCHEDULED;

        TaskRun(String id, String type, WorkflowRun workflow, int position) {
            this.id = id;
            this.type = type;
            this.workflow = workflow;
            this.position = position;
        }

        Task toTask(String workerId) {
            Task task = new Task();
            task.setTaskId(id);
            task.setTaskType(type);
            task.setTaskDefName(type);
            task.setReferenceTaskName(type);
            task.setSeq(position + 1);
            task.setWorkflowInstanceId(workflow.id);
            task.setWorkflowType(workflow.type);
            task.setInputData(new HashMap<>(workflow.input));
            task.setStatus(status);
            task.setWorkerId(workerId);
            task.setStartTime(System.currentTimeMillis());
            return task;
        }
    }
}
