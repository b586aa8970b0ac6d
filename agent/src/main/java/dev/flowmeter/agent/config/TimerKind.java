package dev.flowmeter.agent.config;

/** How timers are exposed. */
public enum TimerKind {
    HISTOGRAM,
    SUMMARY
}
