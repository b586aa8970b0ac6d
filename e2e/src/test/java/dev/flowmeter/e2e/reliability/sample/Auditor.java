package dev.flowmeter.e2e.reliability.sample;

import java.util.concurrent.atomic.AtomicLong;

/** An instrumented static method that counts its own calls, including those a label getter makes. */
public final class Auditor {
    public static final AtomicLong CALLS = new AtomicLong();

    private Auditor() {}

    public static void audit(String kind) {
        CALLS.incrementAndGet();
    }
}
