package dev.flowmeter.agent.probe;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

/** True when a label source yields one of the given values. */
public final class Condition {

    /** Holds for every call. */
    static final Condition ALWAYS = new Condition((self, argument, returned, thrown) -> "true", "true");

    private final LabelSource source;
    private final Set<String> values;

    public Condition(LabelSource source, String... values) {
        this.source = source;
        this.values = new HashSet<>(Arrays.asList(values));
    }

    public boolean test(Object self, Object argument, Object returned, Throwable thrown) {
        return values.contains(source.value(self, argument, returned, thrown));
    }

    LabelSource source() {
        return source;
    }
}
