package dev.flowmeter.agent.rules.expr;

/**
 * An expression {@code shared.NAME}: the value another rule shares, with {@code share: [NAME]}, on
 * the same thread. The parser knows only the name; the thread's values belong to the agent's run
 * time, which binds them to this source when the rule's probe is made, before any call reads it.
 */
public final class SharedLabel implements LabelSource {

    private final String name;
    /** The values shared under {@link #name}, by thread; set once, before the probe is published. */
    private ThreadLocal<String> values;

    public SharedLabel(String name) {
        this.name = name;
    }

    public String name() {
        return name;
    }

    /** Reads the values of {@code shared}, the run time's for this name. */
    public void bind(ThreadLocal<String> shared) {
        values = shared;
    }

    /** The value last shared on this thread, or "" if none was. */
    @Override
    public String value(Object self, Object argument, Object returned, Throwable thrown) {
        String value = values.get();
        return value == null ? "" : value;
    }

    @Override
    public String toString() {
        return "shared." + name;
    }
}
