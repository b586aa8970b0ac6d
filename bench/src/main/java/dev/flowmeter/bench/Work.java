package dev.flowmeter.bench;

/**
 * The methods the suite instruments: small, so that what is measured is the instrumentation. The
 * rules in {@code bench/rules/calls.yaml} name them; the OpenTelemetry agent is pointed at the same
 * ones; {@link HandWritten} wraps them in hand-written client_java code.
 */
public class Work {

    /** Thrown by {@link #fails}: preallocated and without a stack trace, so that throwing costs little. */
    public static final Declined DECLINED = new Declined();

    public int plain(int value) {
        return value + 1;
    }

    /** The first argument is a label in the rules: a small set of values, like task types. */
    public int labelled(String kind, int value) {
        return value + kind.length();
    }

    public int fails(int value) {
        if (value >= 0) {
            throw DECLINED;
        }
        return value;
    }

    /** A task update by task type: a rule with a built-in role, whose labels {@code naming} renames. */
    public int update(String taskType, int value) {
        return value + taskType.length();
    }

    /** Counted per key by the scrape target, one series per distinct key. */
    public void scraped(String key) {
        if (key == null) {
            throw new IllegalArgumentException("key");
        }
    }

    public static final class Declined extends RuntimeException {
        Declined() {
            super("declined", null, false, false);
        }
    }
}
