package dev.flowmeter.agent.config;

import java.util.Map;

/** How the built-in metric families name their labels. */
public enum Naming {
    /** Prometheus' own convention: snake case, {@code task_type}. */
    PROMETHEUS(Map.of()),
    /**
     * The Conductor SDKs' metric reference, label for label: {@code taskType}, {@code workflowType} and
     * {@code payloadType},
     * so that dashboards and alerts built on the SDKs' own metrics work unchanged.
     */
    CONDUCTOR(Map.of("task_type", "taskType", "workflow_type", "workflowType", "payload_type", "payloadType"));

    private final Map<String, String> renamed;

    Naming(Map<String, String> renamed) {
        this.renamed = renamed;
    }

    /** A built-in family's label name as this naming spells it. */
    public String label(String name) {
        return renamed.getOrDefault(name, name);
    }
}
