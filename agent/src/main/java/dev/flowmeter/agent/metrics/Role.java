package dev.flowmeter.agent.metrics;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * What an instrumented method means to an operator, and the families it records. A role's key
 * labels come from the instrumented call; timers whose last label is {@code status} get
 * SUCCESS or FAILURE from the call's outcome, and error counters add {@code exception}.
 */
public enum Role {
    TASK_POLL(Catalog.TASK_POLL_TIME, Catalog.TASK_POLL_ERROR, Catalog.TASK_POLL, true, "task_type"),
    TASK_EXECUTE(Catalog.TASK_EXECUTE_TIME, Catalog.TASK_EXECUTE_ERROR, null, true, "task_type"),
    TASK_UPDATE(Catalog.TASK_UPDATE_TIME, Catalog.TASK_UPDATE_ERROR, null, true, "task_type"),
    TASK_PAUSED(null, null, Catalog.TASK_PAUSED, false, "task_type"),
    WORKFLOW_START(Catalog.WORKFLOW_START_TIME, Catalog.WORKFLOW_START_ERROR, null, true, "workflow_type"),
    API_REQUEST(Catalog.API_REQUEST_TIME, null, null, false, "method", "uri", "status");

    public static final String OUTCOME_LABEL = "status";
    public static final String SUCCESS = "SUCCESS";
    public static final String FAILURE = "FAILURE";
    public static final String EXCEPTION_LABEL = "exception";

    private final MetricFamily timer;
    private final MetricFamily errors;
    private final MetricFamily calls;
    private final boolean outcomeLabelled;
    private final List<String> keyLabels;

    Role(MetricFamily timer, MetricFamily errors, MetricFamily calls, boolean outcomeLabelled, String... keyLabels) {
        this.timer = timer;
        this.errors = errors;
        this.calls = calls;
        this.outcomeLabelled = outcomeLabelled;
        this.keyLabels = Collections.unmodifiableList(Arrays.asList(keyLabels));
    }

    /** The timer family, or null. */
    public MetricFamily timer() {
        return timer;
    }

    /** The error counter family, or null. */
    public MetricFamily errors() {
        return errors;
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
}
