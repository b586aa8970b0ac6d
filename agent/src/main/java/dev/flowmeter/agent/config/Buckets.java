package dev.flowmeter.agent.config;

import java.util.List;

/** Reads a histogram's classic bucket layout: upper bounds, finite, in increasing order. */
public final class Buckets {

    /** What a layout must look like, for messages. */
    public static final String ACCEPTED = "a list of bucket upper bounds in increasing order, such as [0.01, 0.1, 1, 10]";

    private Buckets() {}

    /**
     * The upper bounds in {@code value}, a YAML list of numbers.
     *
     * @throws IllegalArgumentException saying what is wrong with it, to follow "give ..." in a message
     */
    public static double[] parse(Object value) {
        if (!(value instanceof List) || ((List<?>) value).isEmpty()) {
            throw new IllegalArgumentException("is not a list of numbers");
        }
        List<?> items = (List<?>) value;
        double[] bounds = new double[items.size()];
        for (int i = 0; i < bounds.length; i++) {
            Object item = items.get(i);
            if (!(item instanceof Number) || !Double.isFinite(((Number) item).doubleValue())) {
                throw new IllegalArgumentException("has '" + ConfigException.shown(item) + "', which is not a finite number");
            }
            bounds[i] = ((Number) item).doubleValue();
            if (i > 0 && bounds[i] <= bounds[i - 1]) {
                throw new IllegalArgumentException("has " + ConfigException.shown(item) + " after "
                        + ConfigException.shown(items.get(i - 1)) + ", not in increasing order");
            }
        }
        return bounds;
    }
}
