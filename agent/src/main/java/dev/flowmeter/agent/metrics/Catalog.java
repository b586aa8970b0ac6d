package dev.flowmeter.agent.metrics;

import static dev.flowmeter.agent.metrics.MetricFamily.Type.COUNTER;
import static dev.flowmeter.agent.metrics.MetricFamily.Type.GAUGE;
import static dev.flowmeter.agent.metrics.MetricFamily.Type.HISTOGRAM;
import static dev.flowmeter.agent.metrics.MetricFamily.Type.STATE_SET;
import static dev.flowmeter.agent.metrics.MetricFamily.Type.INFO;
import static dev.flowmeter.agent.metrics.MetricFamily.Type.TIMER;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * Every metric family the agent can expose: the one place where names, types and labels are
 * defined. The names are the Conductor SDKs' canonical set, with snake_case labels. The README's
 * metric table is checked against {@link #ALL} by a test.
 */
public final class Catalog {

    public static final MetricFamily TASK_POLL = new MetricFamily("task_poll_total", COUNTER,
            "Task poll attempts.", "task_type");
    public static final MetricFamily TASK_POLL_TIME = new MetricFamily("task_poll_time_seconds", TIMER,
            "Time spent polling for tasks.", "task_type", "status");
    public static final MetricFamily TASK_POLL_LAST = new MetricFamily("task_poll_time", GAUGE,
            "Seconds the most recent poll took (the Conductor SDKs' legacy gauge).", "task_type");
    public static final MetricFamily TASK_POLL_ERROR = new MetricFamily("task_poll_error_total", COUNTER,
            "Task polls that threw, by exception class.", "task_type", "exception");
    public static final MetricFamily TASK_EXECUTE_TIME = new MetricFamily("task_execute_time_seconds", TIMER,
            "Time spent executing tasks; FAILURE when the worker throws or returns a failed result.",
            "task_type", "status");
    public static final MetricFamily TASK_EXECUTE_LAST = new MetricFamily("task_execute_time", GAUGE,
            "Seconds the most recent execution took (the Conductor SDKs' legacy gauge).", "task_type");
    public static final MetricFamily TASK_EXECUTION_STARTED = new MetricFamily("task_execution_started_total", COUNTER,
            "Polled tasks handed to a worker thread.", "task_type");
    public static final MetricFamily ACTIVE_WORKERS = new MetricFamily("active_workers", GAUGE,
            "Worker threads processing a task now: executing it or sending its result.", "task_type");
    public static final MetricFamily TASK_EXECUTION_QUEUE_FULL = new MetricFamily("task_execution_queue_full_total",
            COUNTER, "Poll cycles that polled nothing because every worker thread was busy.", "task_type");
    public static final MetricFamily TASK_ACTIVE = new MetricFamily("task_active", GAUGE,
            "Task executions in progress.", "task_type");
    public static final MetricFamily TASK_EXECUTE_ERROR = new MetricFamily("task_execute_error_total", COUNTER,
            "Task executions that threw, by exception class.", "task_type", "exception");
    public static final MetricFamily TASK_UPDATE_TIME = new MetricFamily("task_update_time_seconds", TIMER,
            "Time spent sending task results to the server.", "task_type", "status");
    public static final MetricFamily TASK_UPDATE_ERROR = new MetricFamily("task_update_error_total", COUNTER,
            "Task updates that threw, by exception class.", "task_type", "exception");
    public static final MetricFamily TASK_PAUSED = new MetricFamily("task_paused_total", COUNTER,
            "Polls skipped because the worker was paused.", "task_type");
    public static final MetricFamily EXTERNAL_PAYLOAD_USED = new MetricFamily("external_payload_used_total", COUNTER,
            "Payloads written to or read from external payload storage; task_type is the workflow's name for a"
                    + " workflow's payload.", "task_type", "payload_type");
    public static final MetricFamily WORKFLOW_START_TIME = new MetricFamily("workflow_start_time_seconds", TIMER,
            "Time spent starting workflows.", "workflow_type", "status");
    public static final MetricFamily WORKFLOW_START_ERROR = new MetricFamily("workflow_start_error_total", COUNTER,
            "Workflow starts that threw, by exception class.", "workflow_type", "exception");
    public static final MetricFamily API_REQUEST_TIME = new MetricFamily("api_request_time_seconds", TIMER,
            "Time spent in API requests to the orchestrator's server; uri is the path template,"
                    + " status the HTTP code or error.", "method", "uri", "status");
    public static final MetricFamily WORKFLOW_DURATION = new MetricFamily("workflow_duration_seconds", TIMER,
            "Time from a workflow's start to its end, paired by workflow id or from the start time the end"
                    + " reads; _count and _sum are the number of finished workflows and their total time.", "workflow_type", "status");
    public static final MetricFamily WORKFLOW_ACTIVE = new MetricFamily("workflow_active", GAUGE,
            "Workflows started and not yet ended.", "workflow_type");
    /** Payload sizes in bytes, 64 B to 16 MiB by powers of 4: the Conductor server's default limits are some MB. */
    static final double[] SIZE_BUCKETS = {64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216};
    public static final MetricFamily TASK_RESULT_SIZE = new MetricFamily("task_result_size", HISTOGRAM,
            "Size of task result payload (bytes), as the client serialises it.", SIZE_BUCKETS, "task_type");
    public static final MetricFamily WORKFLOW_INPUT_SIZE = new MetricFamily("workflow_input_size", HISTOGRAM,
            "Workflow input payload size (bytes), as the client serialises it.", SIZE_BUCKETS, "workflow_type", "version");
    public static final MetricFamily ENGINE_STATUS = new MetricFamily("workflow_engine_status", STATE_SET,
            "The engine's state: RUNNING, PAUSED or STOPPED.", "engine");

    public static final MetricFamily FLOWMETER_INFO = new MetricFamily("flowmeter_info", INFO,
            "The Flowmeter agent serving these metrics.", "version");
    public static final MetricFamily ADVICE_ERRORS = new MetricFamily("flowmeter_advice_errors_total", COUNTER,
            "Errors inside the agent's instrumentation, which the application never saw.", "rule");
    public static final MetricFamily SERIES_DROPPED = new MetricFamily("flowmeter_series_dropped_total", COUNTER,
            "Recordings whose label set was past the series cap and went to the _other_ series.", "metric");
    public static final MetricFamily UNPAIRED_WORKFLOWS = new MetricFamily("flowmeter_workflows_unpaired_total", COUNTER,
            "Workflow starts and ends that could not be paired: evicted past max_pending_workflows, expired past"
                    + " max_workflow_age, or an end whose start was not seen.", "reason");
    public static final MetricFamily UNAUTHORIZED = new MetricFamily("flowmeter_http_unauthorized_total", COUNTER,
            "Requests to the metrics server refused for missing or wrong credentials.");
    public static final MetricFamily CONFIG_RELOADS = new MetricFamily("flowmeter_config_reloads_total", COUNTER,
            "Reloads of the config file: applied, or rejected for an error and leaving the rules in force.", "result");
    public static final MetricFamily INSTRUMENTED_METHODS = new MetricFamily("flowmeter_instrumented_methods", GAUGE,
            "Methods the agent has instrumented so far.", "instrumentation");

    public static final List<MetricFamily> ALL = Collections.unmodifiableList(Arrays.asList(
            TASK_POLL, TASK_POLL_TIME, TASK_POLL_LAST, TASK_POLL_ERROR,
            TASK_EXECUTE_TIME, TASK_EXECUTE_LAST, TASK_EXECUTE_ERROR, TASK_ACTIVE,
            TASK_EXECUTION_STARTED, ACTIVE_WORKERS, TASK_EXECUTION_QUEUE_FULL,
            TASK_UPDATE_TIME, TASK_UPDATE_ERROR,
            TASK_PAUSED, EXTERNAL_PAYLOAD_USED,
            WORKFLOW_START_TIME, WORKFLOW_START_ERROR,
            TASK_RESULT_SIZE, WORKFLOW_INPUT_SIZE,
            API_REQUEST_TIME,
            WORKFLOW_DURATION, WORKFLOW_ACTIVE, ENGINE_STATUS,
            FLOWMETER_INFO, ADVICE_ERRORS, SERIES_DROPPED, UNPAIRED_WORKFLOWS, INSTRUMENTED_METHODS,
            UNAUTHORIZED, CONFIG_RELOADS));

    /** The names of the built-in families with buckets, timers and histograms, which buckets_per_metric may name. */
    public static final List<String> HISTOGRAMS = ALL.stream()
            .filter(family -> family.type() == MetricFamily.Type.TIMER || family.type() == HISTOGRAM)
            .map(MetricFamily::name).collect(java.util.stream.Collectors.toUnmodifiableList());

    /** The built-in family of that name, or null. */
    public static MetricFamily named(String name) {
        for (MetricFamily family : ALL) {
            if (family.name().equals(name)) {
                return family;
            }
        }
        return null;
    }

    private Catalog() {}
}
