package dev.flowmeter.e2e.reliability.sample;

/** A gauge rule samples {@link #depth} at scrape time; depth calls an instrumented method, which may throw. */
public class Queue {
    // Shaped like Item on purpose: two sample classes the reliability rules read (Item's getters as labels,
    // Queue's depth as a gauge); only their fields and constructors are alike.
    private final String name;
    private final int size;
    private final boolean broken;

    public Queue(String name, int size, boolean broken) {
        this.name = name;
        this.size = size;
        this.broken = broken;
    }

    public String name() {
        return name;
    }

    int size() {
        return size;
    }

    boolean broken() {
        return broken;
    }

    public int depth() {
        return Meter.measure(this);
    }
}
