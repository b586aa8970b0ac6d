package dev.flowmeter.testapp;

import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import com.netflix.conductor.client.exception.ConductorClientException;
import com.netflix.conductor.client.http.ConductorClient;
import com.netflix.conductor.client.http.WorkflowClient;
import com.netflix.conductor.common.metadata.workflow.StartWorkflowRequest;

/** Starts workflows through conductor-client's {@link WorkflowClient}: a fixed number, or a steady stream. */
final class LoadDriver implements AutoCloseable {

    /** Workflow input numbering the workflows from 0; the workers derive their outcomes from it. */
    static final String SEQUENCE = "sequence";

    private static final long STEADY_INTERVAL_MILLIS = 250;
    /** A workflow type the engine does not know: its starts are rejected, as a mistyped name would be. */
    static final String UNREGISTERED_WORKFLOW = "unregistered_flow";
    static final int REJECTED_STARTS = 2;
    private static final List<String> WORKFLOW_TYPES = List.copyOf(Engine.WORKFLOWS.keySet());

    private final long seed;
    private final ConductorClient client;
    private final WorkflowClient workflowClient;
    private final AtomicLong sequence = new AtomicLong();
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "test-app-load-driver");
        thread.setDaemon(true);
        return thread;
    });

    LoadDriver(String apiUrl, long seed) {
        this.seed = seed;
        client = ConductorClient.builder().basePath(apiUrl).build();
        workflowClient = new WorkflowClient(client);
    }

    /**
     * Starts {@code count} workflows, and {@link #REJECTED_STARTS} of an unregistered type, which do not count;
     * runs {@code whenFinished} once the engine has finished them all.
     */
    void startWorkflows(int count, Engine engine, Runnable whenFinished) {
        executor.execute(() -> {
            for (int i = 0; i < REJECTED_STARTS; i++) {
                try {
                    workflowClient.startWorkflow(new StartWorkflowRequest().withName(UNREGISTERED_WORKFLOW));
                } catch (ConductorClientException expected) {
                    // the server answered 404, and counted the rejection
                }
            }
            for (int i = 0; i < count; i++) {
                startNext();
            }
            try {
                engine.awaitFinished(count);
                whenFinished.run();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    void startSteadyLoad() {
        executor.scheduleAtFixedRate(this::startNext, 0, STEADY_INTERVAL_MILLIS, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        executor.shutdownNow();
        client.shutdown();
    }

    private void startNext() {
        long next = sequence.getAndIncrement();
        String type = WORKFLOW_TYPES.get((int) (Seeded.fraction(seed, "workflow_type", next) * WORKFLOW_TYPES.size()));
        workflowClient.startWorkflow(new StartWorkflowRequest().withName(type).withInput(Map.of(SEQUENCE, next)));
    }
}
