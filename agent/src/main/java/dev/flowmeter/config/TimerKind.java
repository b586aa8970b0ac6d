package dev.flowmeter.config;

/** How timers are exposed. */
public enum TimerKind {
    HISTOGRAM,
    SUMMARY
}
