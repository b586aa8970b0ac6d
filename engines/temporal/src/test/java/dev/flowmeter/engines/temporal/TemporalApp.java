package dev.flowmeter.engines.temporal;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall;
import io.grpc.ForwardingClientCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityOptions;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ApplicationFailure;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The Temporal SDK's worker and client against the SDK's in-memory test server, in one JVM with the
 * agent. It runs a fixed load (orders whose charge fails for every fifth, and whose shipping fails
 * once and is retried for some others), starts two duplicates that the server rejects, and prints
 * what it counted itself as {@code truth KEY VALUE} lines: activity attempts and failures counted
 * inside the activities, starts and their rejections counted by the caller, workflow outcomes from
 * the results, the runs' durations as the client saw them and as the activities bound them, and the
 * poll calls its own gRPC interceptor saw. Then it obeys commands on stdin:
 * {@code polls N} prints the poll counts so far, {@code pause}, {@code resume} and {@code stop}
 * drive the worker factory.
 */
public final class TemporalApp {

    static final String QUEUE = "flowmeter-orders";
    static final int ORDERS = 20;
    static final int[] DUPLICATES = {3, 7};

    @WorkflowInterface
    public interface OrderWorkflow {
        @WorkflowMethod
        String process(int order);
    }

    @ActivityInterface
    public interface OrderActivities {
        void reserve(int order);

        void charge(int order);

        void ship(int order);
    }

    public static final class OrderWorkflowImpl implements OrderWorkflow {
        private final OrderActivities activities = Workflow.newActivityStub(OrderActivities.class,
                ActivityOptions.newBuilder()
                        .setStartToCloseTimeout(Duration.ofSeconds(30))
                        .setRetryOptions(RetryOptions.newBuilder()
                                .setInitialInterval(Duration.ofMillis(100))
                                .setBackoffCoefficient(1)
                                .setMaximumAttempts(3)
                                .build())
                        .build());

        @Override
        public String process(int order) {
            activities.reserve(order);
            activities.charge(order);
            activities.ship(order);
            return "shipped " + order;
        }
    }

    /**
     * Counts its own attempts and failures per activity type, the ground truth for executions and
     * replies, and the span of each order's attempts, from the first one's start to the last one's
     * end: a run lasts at least that long.
     */
    public static final class OrderActivitiesImpl implements OrderActivities {
        final Map<String, AtomicLong> attempts = new ConcurrentHashMap<>();
        final Map<String, AtomicLong> failures = new ConcurrentHashMap<>();
        final Map<Integer, Long> firstAttemptNanos = new ConcurrentHashMap<>();
        final Map<Integer, Long> lastAttemptEndNanos = new ConcurrentHashMap<>();
        private final Map<Integer, Boolean> shippedOnce = new ConcurrentHashMap<>();

        @Override
        public void reserve(int order) {
            attempt("Reserve", order);
            attemptEnded(order);
        }

        @Override
        public void charge(int order) {
            attempt("Charge", order);
            try {
                if (order % 5 == 0) {
                    fail("Charge");
                    throw ApplicationFailure.newNonRetryableFailure("card declined", "Declined");
                }
            } finally {
                attemptEnded(order);
            }
        }

        @Override
        public void ship(int order) {
            attempt("Ship", order);
            try {
                if (order % 4 == 1 && shippedOnce.putIfAbsent(order, true) == null) {
                    fail("Ship");
                    throw ApplicationFailure.newFailure("carrier busy", "Busy");
                }
            } finally {
                attemptEnded(order);
            }
        }

        private void attempt(String type, int order) {
            firstAttemptNanos.putIfAbsent(order, System.nanoTime());
            attempts.computeIfAbsent(type, t -> new AtomicLong()).incrementAndGet();
        }

        private void attemptEnded(int order) {
            lastAttemptEndNanos.merge(order, System.nanoTime(), Math::max);
        }

        /** Microseconds from the order's first attempt's start to its last attempt's end. */
        long spanMicros(int order) {
            return (lastAttemptEndNanos.get(order) - firstAttemptNanos.get(order)) / 1000;
        }

        private void fail(String type) {
            failures.computeIfAbsent(type, t -> new AtomicLong()).incrementAndGet();
        }
    }

    /** Counts the poll calls that completed, and those that ended in an error, by gRPC method. */
    static final class PollCounter implements ClientInterceptor {
        final Map<String, AtomicLong> completed = new ConcurrentHashMap<>();
        final Map<String, AtomicLong> failed = new ConcurrentHashMap<>();

        @Override
        public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
            String name = method.getBareMethodName();
            ClientCall<Q, R> call = next.newCall(method, options);
            if (name == null || !name.startsWith("Poll")) {
                return call;
            }
            return new ForwardingClientCall.SimpleForwardingClientCall<>(call) {
                @Override
                public void start(Listener<R> listener, Metadata headers) {
                    super.start(new ForwardingClientCallListener.SimpleForwardingClientCallListener<>(listener) {
                        @Override
                        public void onClose(Status status, Metadata trailers) {
                            completed.computeIfAbsent(name, n -> new AtomicLong()).incrementAndGet();
                            if (!status.isOk()) {
                                failed.computeIfAbsent(name, n -> new AtomicLong()).incrementAndGet();
                            }
                            super.onClose(status, trailers);
                        }
                    }, headers);
                }
            };
        }

        /** One line: {@code polls N METHOD=completed/failed ...}, methods in order. */
        String line(String sequence) {
            StringBuilder line = new StringBuilder("polls " + sequence);
            for (Map.Entry<String, AtomicLong> entry : new TreeMap<>(completed).entrySet()) {
                AtomicLong errors = failed.get(entry.getKey());
                line.append(' ').append(entry.getKey()).append('=').append(entry.getValue().get())
                        .append('/').append(errors == null ? 0 : errors.get());
            }
            return line.toString();
        }
    }

    public static void main(String[] args) throws Exception {
        PollCounter polls = new PollCounter();
        // Without time skipping the in-memory server stamps events with this machine's clock, as a real
        // server does, so that run durations can be compared with what this JVM measured; a skipping
        // server moves its own clock ahead whenever all workflows wait.
        TestWorkflowEnvironment environment = TestWorkflowEnvironment.newInstance(TestEnvironmentOptions.newBuilder()
                .setUseTimeskipping(false)
                .setWorkflowServiceStubsOptions(WorkflowServiceStubsOptions.newBuilder()
                        .setGrpcClientInterceptors(List.of(polls))
                        .build())
                .build());
        Worker worker = environment.newWorker(QUEUE);
        worker.registerWorkflowImplementationTypes(OrderWorkflowImpl.class);
        OrderActivitiesImpl activities = new OrderActivitiesImpl();
        worker.registerActivitiesImplementations(activities);
        environment.start();
        WorkflowClient client = environment.getWorkflowClient();

        long started = 0;
        List<WorkflowStub> stubs = new ArrayList<>();
        long[] startCalledNanos = new long[ORDERS];
        for (int order = 0; order < ORDERS; order++) {
            OrderWorkflow workflow = client.newWorkflowStub(OrderWorkflow.class, options(order));
            startCalledNanos[order] = System.nanoTime();
            WorkflowClient.start(workflow::process, order);
            started++;
            stubs.add(WorkflowStub.fromTyped(workflow));
        }
        Map<String, Long> rejected = new TreeMap<>();
        for (int order : DUPLICATES) {
            try {
                client.newUntypedWorkflowStub("OrderWorkflow", options(order)).start(order);
                started++;
            } catch (RuntimeException duplicate) {
                rejected.merge(duplicate.getClass().getSimpleName(), 1L, Long::sum);
            }
        }
        long completed = 0;
        long failed = 0;
        // Per status, the runs' durations in microseconds as bounded from outside: from the start
        // call to the result (later than the run's close, as results are awaited one by one), and
        // the span of the run's activity attempts (within the run).
        Map<String, Long> clientMicros = new TreeMap<>();
        Map<String, Long> activityMicros = new TreeMap<>();
        for (int order = 0; order < ORDERS; order++) {
            String status;
            try {
                stubs.get(order).getResult(60, TimeUnit.SECONDS, String.class);
                completed++;
                status = "SUCCESS";
            } catch (WorkflowFailedException failure) {
                failed++;
                status = "FAILURE";
            }
            clientMicros.merge(status, (System.nanoTime() - startCalledNanos[order]) / 1000, Long::sum);
            activityMicros.merge(status, activities.spanMicros(order), Long::sum);
        }

        System.out.println("truth started OrderWorkflow " + started);
        rejected.forEach((exception, count) -> System.out.println("truth rejected " + exception + " " + count));
        System.out.println("truth completed OrderWorkflow " + completed);
        System.out.println("truth failed OrderWorkflow " + failed);
        clientMicros.forEach((status, micros) -> System.out.println("truth client_micros OrderWorkflow " + status + " " + micros));
        activityMicros.forEach((status, micros) -> System.out.println("truth activity_micros OrderWorkflow " + status + " " + micros));
        activities.attempts.forEach((type, count) -> System.out.println("truth attempts " + type + " " + count.get()));
        activities.failures.forEach((type, count) -> System.out.println("truth failures " + type + " " + count.get()));
        System.out.println("load done");

        WorkerFactory factory = environment.getWorkerFactory();
        BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String command = commands.readLine(); command != null; command = commands.readLine()) {
            if (command.startsWith("polls ")) {
                System.out.println(polls.line(command.substring("polls ".length())));
            } else if (command.equals("pause")) {
                factory.suspendPolling();
                System.out.println("paused");
            } else if (command.equals("resume")) {
                factory.resumePolling();
                System.out.println("resumed");
            } else if (command.equals("stop")) {
                factory.shutdown();
                factory.awaitTermination(60, TimeUnit.SECONDS);
                System.out.println("stopped");
            }
        }
        environment.close();
    }

    /** Ids are reused by the duplicates, which the server must reject whether the first run is open or closed. */
    private static WorkflowOptions options(int order) {
        return WorkflowOptions.newBuilder()
                .setTaskQueue(QUEUE)
                .setWorkflowId("order-" + order)
                .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE)
                .build();
    }
}
