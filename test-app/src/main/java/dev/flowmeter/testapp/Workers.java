package dev.flowmeter.testapp;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import com.netflix.conductor.client.automator.TaskRunnerConfigurer;
import com.netflix.conductor.client.config.DefaultConductorClientConfiguration;
import com.netflix.conductor.client.events.listeners.TaskClientListener;
import com.netflix.conductor.client.events.task.TaskPayloadUsedEvent;
import com.netflix.conductor.client.events.task.TaskResultPayloadSizeEvent;
import com.netflix.conductor.client.http.ConductorClient;
import com.netflix.conductor.client.http.TaskClient;
import com.netflix.conductor.client.worker.Worker;
import com.netflix.conductor.common.metadata.tasks.Task;
import com.netflix.conductor.common.metadata.tasks.TaskResult;

/**
 * conductor-client workers for every task type, polling the test app's own API over HTTP. Outcomes are
 * decided by {@link Seeded} from the workflow's {@code sequence} input, so a seed always gives the same counts.
 */
final class Workers implements AutoCloseable {

    private static final int THREADS_PER_TASK_TYPE = 4;
    private static final int POLLING_INTERVAL_MILLIS = 10;
    /** render_report's worker reports itself paused for its first polls, as if warming up. */
    private static final Map<String, Integer> PAUSED_POLLS = Map.of("render_report", 5);
    /**
     * Task results larger than this go to external payload storage, as conductor-client writes them there:
     * render_report's, whose report is {@link #REPORT_CHARACTERS} long, and no other.
     */
    private static final int EXTERNAL_OUTPUT_THRESHOLD_KB = 1;
    private static final int REPORT_CHARACTERS = 2048;

    private final long seed;
    private final double failRate;
    private final ConductorClient client;
    private final TaskRunnerConfigurer configurer;
    /** Executions that ran on a virtual thread, counted only with {@code virtualThreads}. */
    private final AtomicLong virtualThreadExecutions = new AtomicLong();

    /**
     * @param virtualThreads run the executions on virtual threads, which conductor-client 5 and later offer on
     *     Java 21 and later ({@code TaskRunnerConfigurer.Builder#withUseVirtualThreads}); test-app is built with
     *     conductor-client 4, so the option is reached by reflection
     * @throws IllegalArgumentException if {@code virtualThreads} is asked of a client or JVM without them
     */
    Workers(String apiUrl, Stats stats, long seed, double failRate, boolean virtualThreads) {
        this.seed = seed;
        this.failRate = failRate;
        MethodHandle isVirtual = virtualThreads ? isVirtual() : null;
        Map<String, Function<Task, TaskResult>> bodies = Map.of(
                "validate_order", Workers::completed,
                "charge_payment", this::chargePayment,
                "ship_order", this::slow,
                "render_report", this::report);
        List<Worker> workers = Engine.TASK_TYPES.stream()
                .map(type -> (Worker) new CountingWorker(type, bodies.get(type), stats,
                        new AtomicInteger(PAUSED_POLLS.getOrDefault(type, 0)), isVirtual, virtualThreadExecutions))
                .toList();
        client = ConductorClient.builder().basePath(apiUrl).build();
        TaskClient taskClient = new TaskClient(client, new ExternalOutputs());
        // The size of each result the client measured, as conductor-client's own metrics module learns it.
        taskClient.registerListener(new TaskClientListener() {
            @Override
            public void consume(TaskResultPayloadSizeEvent event) {
                stats.taskResultSize(event.getTaskType(), event.getSize());
            }

            @Override
            public void consume(TaskPayloadUsedEvent event) {
            }
        });
        TaskRunnerConfigurer.Builder builder = new TaskRunnerConfigurer.Builder(taskClient, workers)
                .withThreadCount(THREADS_PER_TASK_TYPE)
                .withWorkerNamePrefix("test-app-worker-%d")
                // Called once per poll cycle of a worker that is not paused, before it takes execution permits.
                .withPollFilter((taskType, domain) -> {
                    stats.pollCycle(taskType);
                    return true;
                });
        if (virtualThreads) {
            useVirtualThreads(builder);
        }
        configurer = builder.build();
        configurer.init();
    }

    /** How many executions ran on a virtual thread; 0 unless the workers were made with {@code virtualThreads}. */
    long virtualThreadExecutions() {
        return virtualThreadExecutions.get();
    }

    /**
     * Checks that the client and the JVM offer virtual threads to workers, before anything starts.
     *
     * @throws IllegalArgumentException if they do not
     */
    static void checkVirtualThreads() {
        isVirtual();
        withUseVirtualThreads();
    }

    private static void useVirtualThreads(TaskRunnerConfigurer.Builder builder) {
        try {
            withUseVirtualThreads().invoke(builder, true);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static java.lang.reflect.Method withUseVirtualThreads() {
        try {
            return TaskRunnerConfigurer.Builder.class.getMethod("withUseVirtualThreads", boolean.class);
        } catch (NoSuchMethodException e) {
            throw new IllegalArgumentException("--virtual-threads needs conductor-client 5 or later");
        }
    }

    private static MethodHandle isVirtual() {
        try {
            return MethodHandles.publicLookup().findVirtual(Thread.class, "isVirtual", MethodType.methodType(boolean.class));
        } catch (ReflectiveOperationException e) {
            throw new IllegalArgumentException("--virtual-threads needs Java 21 or later");
        }
    }

    /**
     * Stops polling and executing, and returns once the last update has been sent and the pollers have ended.
     * The pollers run on conductor-client's own "TaskRunner N" threads, which its shutdown does not wait for.
     */
    void stop() {
        configurer.shutdown();
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (thread.getName().startsWith("TaskRunner ")) {
                try {
                    thread.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    @Override
    public void close() {
        configurer.shutdown();
        client.shutdown();
    }

    /** Fails {@code failRate} of the payments: half by throwing one of two exceptions, half by a FAILED result. */
    private TaskResult chargePayment(Task task) {
        double draw = Seeded.fraction(seed, task.getTaskType(), sequence(task));
        if (draw < failRate / 4) {
            throw new IllegalStateException("Payment gateway unavailable");
        }
        if (draw < failRate / 2) {
            throw new PaymentDeclinedException("Card declined");
        }
        if (draw < failRate) {
            TaskResult result = new TaskResult(task);
            result.setStatus(TaskResult.Status.FAILED);
            result.setReasonForIncompletion("Insufficient funds");
            return result;
        }
        return completed(task);
    }

    /** Takes 5 to 15 ms. */
    private TaskResult slow(Task task) {
        long millis = 5 + (long) (Seeded.fraction(seed, task.getTaskType(), sequence(task)) * 11);
        try {
            TimeUnit.MILLISECONDS.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted", e);
        }
        return completed(task);
    }

    /** A slow task whose result is too large to send inline. */
    private TaskResult report(Task task) {
        TaskResult result = slow(task);
        result.getOutputData().put("report", "r".repeat(REPORT_CHARACTERS));
        return result;
    }

    /**
     * Completed, with an output whose size varies with the workflow's sequence number, up to 760
     * characters: below the external-storage threshold, which only render_report's result passes.
     */
    private static TaskResult completed(Task task) {
        TaskResult result = new TaskResult(task);
        result.setStatus(TaskResult.Status.COMPLETED);
        result.addOutputData("receipt", "x".repeat((int) (sequence(task) % 20) * 40));
        return result;
    }

    private static long sequence(Task task) {
        return ((Number) task.getInputData().get(LoadDriver.SEQUENCE)).longValue();
    }

    /** Thresholds enforced, and task results over {@link #EXTERNAL_OUTPUT_THRESHOLD_KB} written to external storage. */
    private static final class ExternalOutputs extends DefaultConductorClientConfiguration {
        @Override
        public int getTaskOutputPayloadThresholdKB() {
            return EXTERNAL_OUTPUT_THRESHOLD_KB;
        }

        @Override
        public boolean isExternalPayloadStorageEnabled() {
            return true;
        }

        @Override
        public boolean isEnforceThresholds() {
            return true;
        }
    }

    static final class PaymentDeclinedException extends RuntimeException {
        PaymentDeclinedException(String message) {
            super(message);
        }
    }

    /** @param isVirtual {@code Thread#isVirtual}, to count executions on virtual threads, or null not to */
    private record CountingWorker(String taskType, Function<Task, TaskResult> body, Stats stats,
            AtomicInteger pausedPolls, MethodHandle isVirtual, AtomicLong virtualThreadExecutions) implements Worker {

        @Override
        public boolean paused() {
            if (pausedPolls.getAndUpdate(left -> Math.max(0, left - 1)) > 0) {
                stats.paused(taskType);
                return true;
            }
            return false;
        }

        @Override
        public String getTaskDefName() {
            return taskType;
        }

        @Override
        public TaskResult execute(Task task) {
            if (isVirtual != null && onVirtualThread()) {
                virtualThreadExecutions.incrementAndGet();
            }
            try {
                TaskResult result = body.apply(task);
                stats.executed(taskType, result.getStatus() == TaskResult.Status.COMPLETED);
                return result;
            } catch (RuntimeException e) {
                stats.threw(taskType, e);
                throw e;
            }
        }

        private boolean onVirtualThread() {
            try {
                return (boolean) isVirtual.invoke(Thread.currentThread());
            } catch (Throwable e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public int getPollingInterval() {
            return POLLING_INTERVAL_MILLIS;
        }

        // The default looks up the host name on every poll.
        @Override
        public String getIdentity() {
            return "test-app";
        }
    }
}
