package dev.flowmeter.agent.metrics;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Finds the cached series for a label set without allocating: one map level per label, walked one
 * value at a time with {@link #step}, so that callers need no key object. The metric family keeps at
 * most {@code cap} label sets, every label counted, {@code _other_}'s among them: a key's label set
 * may stand for several of the family's (a timer's two statuses, a state set's states), so fewer keys
 * than {@code cap} are created; past that, {@link #create} hands out the {@code _other_} series.
 */
public final class SeriesIndex<T> {

    public interface Factory<T> {
        T create(String[] labelValues);
    }

    private final int depth;
    /** How many keys get series of their own, the {@code _other_} key's room kept. */
    private final int keys;
    private final Factory<T> factory;
    private final Runnable onDropped;
    private final Object root;
    private int size;
    private T other;

    /** @param labelSetsPerKey the family's label sets that one key's series holds */
    public SeriesIndex(int depth, int cap, int labelSetsPerKey, Factory<T> factory, Runnable onDropped) {
        this.depth = depth;
        this.keys = cap / labelSetsPerKey - 1;
        this.factory = factory;
        this.onDropped = onDropped;
        this.root = depth == 0 ? factory.create(new String[0]) : new ConcurrentHashMap<String, Object>();
    }

    /** The start of a walk: after {@link #depth} steps it is the series. */
    public Object root() {
        return root;
    }

    /** One level down, or null when that label value has no series yet. */
    @SuppressWarnings("unchecked")
    public static Object step(Object level, String value) {
        return ((ConcurrentHashMap<String, Object>) level).get(value);
    }

    /** The series of a label set, found or created; for callers off the hot path, which have the values at hand. */
    @SuppressWarnings("unchecked")
    public T get(String... labelValues) {
        Object node = root;
        for (String value : labelValues) {
            node = step(node, value);
            if (node == null) {
                return create(labelValues);
            }
        }
        return (T) node;
    }

    /** The slow path, when a walk found nothing: creates the series, or returns {@code _other_} past the cap. */
    @SuppressWarnings("unchecked")
    public synchronized T create(String[] labelValues) {
        Object level = root;
        for (int i = 0; i < depth - 1; i++) {
            Object next = step(level, labelValues[i]);
            if (next == null) {
                if (size >= keys) {
                    return dropped();
                }
                next = new ConcurrentHashMap<String, Object>();
                ((ConcurrentHashMap<String, Object>) level).put(labelValues[i], next);
            }
            level = next;
        }
        Object existing = step(level, labelValues[depth - 1]);
        if (existing != null) {
            return (T) existing;
        }
        if (size >= keys) {
            return dropped();
        }
        T series = factory.create(labelValues);
        ((ConcurrentHashMap<String, Object>) level).put(labelValues[depth - 1], series);
        size++;
        return series;
    }

    private T dropped() {
        onDropped.run();
        if (other == null) {
            String[] others = new String[depth];
            java.util.Arrays.fill(others, LabelValues.OTHER);
            other = factory.create(others);
        }
        return other;
    }
}
