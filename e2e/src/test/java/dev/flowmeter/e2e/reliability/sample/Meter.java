package dev.flowmeter.e2e.reliability.sample;

import java.util.concurrent.atomic.AtomicLong;

/** Instrumented; called by the application and, through Queue#depth, by the agent's scrapes. */
public final class Meter {
    public static final AtomicLong CALLS = new AtomicLong();
    /** The exception last thrown, so that a caller can check it caught that very object. */
    public static volatile RuntimeException lastThrown;

    private Meter() {}

    public static int measure(Queue queue) {
        CALLS.incrementAndGet();
        if (queue.broken()) {
            RuntimeException broken = new IllegalStateException("queue " + queue.name() + " is broken");
            lastThrown = broken;
            throw broken;
        }
        return queue.size();
    }
}
