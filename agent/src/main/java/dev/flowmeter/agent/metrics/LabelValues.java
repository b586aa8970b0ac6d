package dev.flowmeter.agent.metrics;

/** Turns what an instrumented call yields into a bounded label value, without allocating for the common types. */
public final class LabelValues {

    /** Values longer than this are cut: a label names a type or an outcome, never a payload. */
    public static final int MAX_LENGTH = 100;
    public static final String OTHER = "_other_";

    private static final String[] SMALL_NUMBERS = new String[1000];

    static {
        for (int i = 0; i < SMALL_NUMBERS.length; i++) {
            SMALL_NUMBERS[i] = Integer.toString(i);
        }
    }

    private LabelValues() {}

    public static String of(Object value) {
        if (value == null) {
            return "";
        }
        if (value instanceof String) {
            String string = (String) value;
            return string.length() <= MAX_LENGTH ? string : string.substring(0, MAX_LENGTH);
        }
        if (value instanceof Enum) {
            return ((Enum<?>) value).name();
        }
        if (value instanceof Integer) {
            return of((int) (Integer) value);
        }
        if (value instanceof Class) {
            return ((Class<?>) value).getSimpleName();
        }
        return of(String.valueOf(value));
    }

    /** An {@code int}, as an HTTP status code is: those below 1000 without allocating. */
    public static String of(int value) {
        return value >= 0 && value < SMALL_NUMBERS.length ? SMALL_NUMBERS[value] : Integer.toString(value);
    }
}
