package dev.flowmeter.agent.rules.expr;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * True when a label source yields one of the given values; or, made by {@link #all}, when each of
 * several conditions holds, tested in order, so that a later one is evaluated only when those
 * before it hold (an earlier one can tell whether a later one's expression applies to the object).
 */
public final class Condition {

    /** Holds for every call. */
    public static final Condition ALWAYS = new Condition((self, argument, returned, thrown) -> "true", "true");

    private final LabelSource source;
    private final Set<String> values;
    private final Condition[] all;

    public Condition(LabelSource source, String... values) {
        this.source = source;
        this.values = new HashSet<>(Arrays.asList(values));
        this.all = null;
    }

    private Condition(Condition[] all) {
        this.source = null;
        this.values = null;
        this.all = all;
    }

    /** Holds when every one of {@code conditions} holds, tested in order up to the first that does not. */
    public static Condition all(List<Condition> conditions) {
        return conditions.size() == 1 ? conditions.get(0) : new Condition(conditions.toArray(new Condition[0]));
    }

    public boolean test(Object self, Object argument, Object returned, Throwable thrown) {
        if (all != null) {
            for (Condition each : all) {
                if (!each.test(self, argument, returned, thrown)) {
                    return false;
                }
            }
            return true;
        }
        return values.contains(source.value(self, argument, returned, thrown));
    }
}
