package dev.flowmeter.testapp;

import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.netflix.conductor.client.exception.ConductorClientException;
import com.netflix.conductor.client.http.ConductorClient;
import com.netflix.conductor.client.http.WorkflowClient;
import com.netflix.conductor.common.metadata.workflow.StartWorkflowRequest;

/** Starts workflows through conductor-client's {@link WorkflowClient}: a fixed number, or a steady stream. */
final class LoadDriver implements AutoCloseable {

    /** Workflow input numbering the workflows from 0; the workers derive their outcomes from it. */
    static final String SEQUENCE = "sequence";

    private static final long STEADY_INTERVAL_MILLIS = 250;
    /** With a number of workflows in flight, a line is printed each time this many more have finished. */
    static final int PROGRESS_EVERY = 100;
    /** A workflow type the engine does not know: its starts are rejected, as a mistyped name would be. */
    static final String UNREGISTERED_WORKFLOW = "unregistered_flow";
    static final int REJECTED_STARTS = 2;
    private static final List<String> WORKFLOW_TYPES = List.copyOf(Engine.WORKFLOWS.keySet());

    private final long seed;
    private final Stats stats;
    private final ObjectMapper json = new ObjectMapper();
    private final ConductorClient client;
    private final WorkflowClient workflowClient;
    private final AtomicLong sequence = new AtomicLong();
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "test-app-load-driver");
        thread.setDaemon(true);
        return thread;
    });

    LoadDriver(String apiUrl, long seed, Stats stats) {
        this.seed = seed;
        this.stats = stats;
        client = ConductorClient.builder().basePath(apiUrl).build();
        workflowClient = new WorkflowClient(client, PayloadSizes.MEASURED);
    }

    /** Starts a workflow, counting the bytes of its input as JSON: what the client measures before it sends it. */
    private void start(StartWorkflowRequest request) {
        try {
            stats.workflowInputSize(request.getName(), json.writeValueAsBytes(request.getInput()).length);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        workflowClient.startWorkflow(request);
    }

    /**
     * Starts {@code count} workflows, and {@link #REJECTED_STARTS} of an unregistered type, which do not count;
     * runs {@code whenFinished} once the engine has finished them all.
     *
     * @param inFlight at most this many started and unfinished at a time, or null to start them all at once
     */
    void startWorkflows(int count, Integer inFlight, Engine engine, Runnable whenFinished) {
        executor.execute(() -> {
            for (int i = 0; i < REJECTED_STARTS; i++) {
                try {
                    start(new StartWorkflowRequest().withName(UNREGISTERED_WORKFLOW));
                } catch (ConductorClientException expected) {
                    // the server answered 404, and counted the rejection
                }
            }
            try {
                if (inFlight == null) {
                    for (int i = 0; i < count; i++) {
                        startNext();
                    }
                } else {
                    keepInFlight(count, inFlight, engine);
                }
                engine.awaitFinished(count);
                whenFinished.run();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    /** Keeps {@code inFlight} workflows started and unfinished, without end. */
    void startClosedLoop(int inFlight, Engine engine) {
        executor.execute(() -> {
            try {
                keepInFlight(Long.MAX_VALUE, inFlight, engine);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    /**
     * Starts {@code count} workflows, each as soon as fewer than {@code inFlight} of those started are unfinished,
     * and prints a line each time another {@link #PROGRESS_EVERY} have finished, so that a benchmark can time a
     * stretch of them from the output alone.
     */
    private void keepInFlight(long count, int inFlight, Engine engine) throws InterruptedException {
        long reported = 0;
        for (long started = 0; started < count; started++) {
            if (started >= inFlight) {
                reported = progress(engine.awaitFinished(started - inFlight + 1), reported);
            }
            startNext();
        }
        while (count - reported >= PROGRESS_EVERY) {
            reported = progress(engine.awaitFinished(reported + PROGRESS_EVERY), reported);
        }
    }

    private static long progress(long finished, long reported) {
        long next = reported;
        while (finished - next >= PROGRESS_EVERY) {
            next += PROGRESS_EVERY;
            System.out.println("test-app: " + next + " workflows finished");
        }
        return next;
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
        start(new StartWorkflowRequest().withName(type).withInput(Map.of(SEQUENCE, next)));
    }
}
