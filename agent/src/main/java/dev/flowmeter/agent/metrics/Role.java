package dev.flowmeter.agent.metrics;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What an instrumented method means to an operator, and the families it records: a timer, an
 * error counter and a call counter, any of which may be absent. A role's key labels come from the
 * instrumented call; a timer whose last label is {@code status} gets SUCCESS or FAILURE from the
 * call's outcome, and the error counter adds {@code exception}. Built-in roles record the standard
 * families; a rule of the user's may define its own.
 */
public final class Role {

    public static final String OUTCOME_LABEL = "status";
    public static final String SUCCESS = "SUCCESS";
    public static final String FAILURE = "FAILURE";
    public static final String EXCEPTION_LABEL = "exception";

    public static final Role TASK_POLL = new Role("task_poll",
            Catalog.TASK_POLL_TIME, Catalog.TASK_POLL_ERROR, Catalog.TASK_POLL, true, "task_type")
            .keepingLast(Catalog.TASK_POLL_LAST);
    public static final Role TASK_EXECUTE = new Role("task_execute",
            Catalog.TASK_EXECUTE_TIME, Catalog.TASK_EXECUTE_ERROR, null, true, "task_type").counting(Catalog.TASK_ACTIVE)
            .keepingLast(Catalog.TASK_EXECUTE_LAST);
    public static final Role TASK_UPDATE = new Role("task_update",
            Catalog.TASK_UPDATE_TIME, Catalog.TASK_UPDATE_ERROR, null, true, "task_type");
    public static final Role TASK_PAUSED = new Role("task_paused", null, null, Catalog.TASK_PAUSED, false, "task_type");
    public static final Role TASK_EXECUTION_STARTED = new Role("task_execution_started", null, null,
            Catalog.TASK_EXECUTION_STARTED, false, "task_type");
    public static final Role TASK_PROCESS = new Role("task_process", null, null, null, false, "task_type")
            .counting(Catalog.ACTIVE_WORKERS);
    public static final Role TASK_EXECUTION_QUEUE_FULL = new Role("task_execution_queue_full", null, null,
            Catalog.TASK_EXECUTION_QUEUE_FULL, false, "task_type");
    public static final Role EXTERNAL_PAYLOAD_USED = new Role("external_payload_used", null, null,
            Catalog.EXTERNAL_PAYLOAD_USED, false, "task_type", "payload_type");
    public static final Role WORKFLOW_START = new Role("workflow_start",
            Catalog.WORKFLOW_START_TIME, Catalog.WORKFLOW_START_ERROR, null, true, "workflow_type");
    public static final Role API_REQUEST = new Role("api_request",
            Catalog.API_REQUEST_TIME, null, null, false, "method", "uri", "status");

    /** The built-in roles that record through a {@link RoleSeries}. */
    public static final List<Role> BUILT_IN =
            List.of(TASK_POLL, TASK_EXECUTE, TASK_UPDATE, TASK_PAUSED, TASK_EXECUTION_STARTED, TASK_PROCESS,
                    TASK_EXECUTION_QUEUE_FULL, EXTERNAL_PAYLOAD_USED, WORKFLOW_START, API_REQUEST);

    /** The roles that move an engine to a state ({@link EngineStatus}), with that state. */
    public static final Map<String, String> ENGINE_STATES = Map.of(
            "engine_start", EngineStatus.RUNNING, "engine_resume", EngineStatus.RUNNING,
            "engine_pause", EngineStatus.PAUSED, "engine_stop", EngineStatus.STOPPED);
    /** The role that ends a workflow ({@link WorkflowLifecycle}). */
    public static final String WORKFLOW_END = "workflow_end";
    /** The role that reports the HTTP status of the {@link #API_REQUEST} in progress. */
    public static final String API_RESPONSE = "api_response";
    /** Every role a rule may name, sorted: the list of role names, kept here alone. */
    public static final Set<String> NAMES = Collections.unmodifiableSet(names());

    private final String name;
    private final MetricFamily timer;
    private final MetricFamily errors;
    private final MetricFamily calls;
    private final boolean outcomeLabelled;
    private final List<String> keyLabels;
    private MetricFamily active;
    private MetricFamily last;

    private Role(String name, MetricFamily timer, MetricFamily errors, MetricFamily calls, boolean outcomeLabelled,
            String... keyLabels) {
        this.name = name;
        this.timer = timer;
        this.errors = errors;
        this.calls = calls;
        this.outcomeLabelled = outcomeLabelled;
        this.keyLabels = Collections.unmodifiableList(Arrays.asList(keyLabels));
    }

    /**
     * A role of the user's own: a timer {@code timerName} with the labels and status, an error counter
     * {@code errorsName} with the labels and exception, a call counter {@code callsName} with the
     * labels; a null name leaves that family out. {@code buckets} are the timer's classic buckets, or
     * null for the defaults.
     */
    public static Role custom(String timerName, double[] buckets, String errorsName, String callsName,
            List<String> labels) {
        String[] keyLabels = labels.toArray(new String[0]);
        String[] withStatus = Arrays.copyOf(keyLabels, keyLabels.length + 1);
        withStatus[keyLabels.length] = OUTCOME_LABEL;
        String[] withException = withStatus.clone();
        withException[keyLabels.length] = EXCEPTION_LABEL;
        return new Role(String.join("/", String.valueOf(timerName), String.valueOf(errorsName), String.valueOf(callsName))
                        + labels + (buckets == null ? "" : Arrays.toString(buckets)),
                timerName == null ? null : new MetricFamily(timerName, MetricFamily.Type.TIMER,
                        "Time spent in calls matched by a rule; status is the outcome.", buckets, withStatus),
                errorsName == null ? null : new MetricFamily(errorsName, MetricFamily.Type.COUNTER,
                        "Calls matched by a rule that threw, by exception class.", withException),
                callsName == null ? null : new MetricFamily(callsName, MetricFamily.Type.COUNTER,
                        "Calls matched by a rule.", keyLabels),
                true, keyLabels);
    }

    /** Counts the role's calls in progress in {@code family}, a gauge with the key labels. */
    private Role counting(MetricFamily family) {
        this.active = family;
        return this;
    }

    /** Keeps the duration of the latest call in {@code family}, a gauge in seconds with the key labels. */
    private Role keepingLast(MetricFamily family) {
        this.last = family;
        return this;
    }

    private static Set<String> names() {
        Set<String> names = new TreeSet<>(ENGINE_STATES.keySet());
        BUILT_IN.forEach(role -> names.add(role.name));
        names.add(WORKFLOW_END);
        names.add(API_RESPONSE);
        return names;
    }

    public static Role named(String name) {
        for (Role role : BUILT_IN) {
            if (role.name.equals(name)) {
                return role;
            }
        }
        return null;
    }

    /** What the role is called in rules; for the user's own, its families' names. */
    public String name() {
        return name;
    }

    /** The timer family, or null. */
    public MetricFamily timer() {
        return timer;
    }

    /** The error counter family, or null. */
    public MetricFamily errors() {
        return errors;
    }

    /** The gauge of calls in progress, or null. */
    public MetricFamily active() {
        return active;
    }

    /** The gauge of the latest call's duration, or null. */
    public MetricFamily last() {
        return last;
    }

    /** Whether the role only counts calls: no timer, errors or calls in progress. */
    public boolean countsOnly() {
        return timer == null && errors == null && active == null;
    }

    /** The call counter family, or null. */
    public MetricFamily calls() {
        return calls;
    }

    /** Whether the timer's {@code status} label is the outcome, SUCCESS or FAILURE. */
    public boolean outcomeLabelled() {
        return outcomeLabelled;
    }

    /** The labels whose values come from the call, in the families' order. */
    public List<String> keyLabels() {
        return keyLabels;
    }

    /** The family that names this role in counts such as series dropped. */
    MetricFamily primary() {
        return timer != null ? timer : calls != null ? calls : errors != null ? errors : active;
    }

    @Override
    public String toString() {
        return name;
    }
}
