package dev.flowmeter.agent.probe;

/**
 * A label value that one instrumented method hands to a later one on the same thread, for calls
 * whose own arguments do not carry it (a task update knows its result, not its task type).
 */
public final class ThreadLabel {

    private final String name;
    private final ThreadLocal<String> current = new ThreadLocal<>();

    public ThreadLabel(String name) {
        this.name = name;
    }

    /** A source that yields what {@code source} yields and remembers it for this thread. */
    public LabelSource remember(LabelSource source) {
        return new LabelSource() {
            @Override
            public String value(Object self, Object argument, Object returned, Throwable thrown) {
                String value = source.value(self, argument, returned, thrown);
                current.set(value);
                return value;
            }

            @Override
            public int argumentIndex() {
                return source.argumentIndex();
            }
        };
    }

    /** A source that yields the value last remembered on this thread, or "" if none was. */
    public LabelSource recall() {
        return (self, argument, returned, thrown) -> {
            String value = current.get();
            return value == null ? "" : value;
        };
    }

    @Override
    public String toString() {
        return name;
    }
}
