package dev.flowmeter.agent.probe;

import dev.flowmeter.agent.rules.expr.LabelSource;
import dev.flowmeter.agent.rules.expr.SharedLabel;

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

    /** Lets {@code reader} ({@code shared.NAME}) read the value last remembered on its thread. */
    void bind(SharedLabel reader) {
        reader.bind(current);
    }
}
