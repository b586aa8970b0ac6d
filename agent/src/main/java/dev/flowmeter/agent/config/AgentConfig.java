package dev.flowmeter.agent.config;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;

/** The configuration in effect, after every source has been read and checked. */
public final class AgentConfig {
    private final int port;
    private final String host;
    private final TimerKind timers;
    private final Set<String> disabled;

    AgentConfig(int port, String host, TimerKind timers, Set<String> disabled) {
        this.port = port;
        this.host = host;
        this.timers = timers;
        this.disabled = Collections.unmodifiableSet(new LinkedHashSet<>(disabled));
    }

    public int port() {
        return port;
    }

    public String host() {
        return host;
    }

    public TimerKind timers() {
        return timers;
    }

    public boolean isDisabled(String instrumentation) {
        return disabled.contains(instrumentation);
    }

    public Set<String> disabled() {
        return disabled;
    }
}
