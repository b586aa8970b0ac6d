package dev.flowmeter.e2e.reliability.sample;

import java.util.concurrent.atomic.AtomicLong;

/** The application's service: every method is instrumented by a rule of reliability-rules.yaml. */
public class Service {
    public static final AtomicLong WORK_CALLS = new AtomicLong();

    private final String name;

    public Service(String name) {
        this.name = name;
    }

    public String name() {
        return name;
    }

    /** Labelled by item.describe(), which calls Auditor.audit, and by item.explode(), which throws. */
    public int work(Item item) {
        WORK_CALLS.incrementAndGet();
        if (item.failure() != null) {
            throw item.failure();
        }
        return item.weight() * 2;
    }

    /** The hot method of the load test. */
    public long compute(long x) {
        return x * 31 + 7;
    }

    /** Labelled by its argument: the cardinality attack. */
    public void tag(String value) {}

    /** The same method with an unlabelled rule: the baseline of the cardinality attack. */
    public void tagPlain(String value) {}
}
