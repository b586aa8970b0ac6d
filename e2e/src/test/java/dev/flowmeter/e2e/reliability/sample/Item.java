package dev.flowmeter.e2e.reliability.sample;

/** What {@link Service#work} is given; its getters are label expressions, and one of them calls instrumented code. */
public final class Item {
    private final String kind;
    private final int weight;
    private final RuntimeException failure;

    public Item(String kind, int weight, RuntimeException failure) {
        this.kind = kind;
        this.weight = weight;
        this.failure = failure;
    }

    public int weight() {
        return weight;
    }

    /** The exception work throws for this item, or null: the application checks it catches this very object. */
    public RuntimeException failure() {
        return failure;
    }

    /** A getter used as a label that itself calls an instrumented method. */
    public String describe() {
        Auditor.audit(kind);
        return kind;
    }

    /** A getter used as a label that throws. */
    public String explode() {
        throw new IllegalStateException("a label getter that throws");
    }
}
