package dev.flowmeter.agent.probe;

/**
 * A label value that one instrumented method shares with later ones on the same thread, for calls
 * whose own arguments do not carry it (a task update knows its result, not its task type). Rules
 * share with {@code share: [label]} and read with {@code shared.label}.
 */
final class ThreadLabel {

    private final ThreadLocal<String> current = new ThreadLocal<>();

    /** A source that yields what {@code source} yields and remembers it for this thread. */
    LabelSource remember(LabelSource source) {
        return new LabelSource.Derived(source) {
            @Override
            public String value(Object self, Object argument, Object returned, Throwable thrown) {
                String value = source.value(self, argument, returned, thrown);
                current.set(value);
                return value;
            }
        };
    }

    /** A source that yields the value last remembered on this thread, or "" if none was. */
    LabelSource recall() {
        return (self, argument, returned, thrown) -> {
            String value = current.get();
            return value == null ? "" : value;
        };
    }
}
