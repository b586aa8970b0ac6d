package dev.flowmeter.agent.bootstrap;

import java.util.Arrays;

/**
 * The only class that inlined advice calls. It is injected into the bootstrap class loader, is
 * visible from every class loader, and depends on nothing but the JDK.
 */
public final class Probes {

    private static final Object LOCK = new Object();
    private static volatile Probe[] probes = new Probe[0];

    private Probes() {}

    /** Registers a probe and returns the id that its advice is bound to. */
    public static int register(Probe probe) {
        synchronized (LOCK) {
            Probe[] grown = Arrays.copyOf(probes, probes.length + 1);
            grown[probes.length] = probe;
            probes = grown;
            return probes.length - 1;
        }
    }

    @OutOfLine
    public static long enter(int id, Object self, Object argument) {
        Probe probe = probes[id];
        try {
            return probe.enter(self, argument);
        } catch (Throwable error) {
            probe.failed(error);
            return System.nanoTime();
        }
    }

    /**
     * A constructor has built {@code self}, as far as its class goes: the agent weaves one class in
     * each line of superclasses, so that every object is reported once.
     */
    public static void constructed(int id, Object self) {
        exit(id, 0L, self, null, null, null);
    }

    @OutOfLine
    public static void exit(int id, long entered, Object self, Object argument, Object returned, Throwable thrown) {
        Probe probe = probes[id];
        try {
            probe.exit(entered, self, argument, returned, thrown);
        } catch (Throwable error) {
            probe.failed(error);
        }
    }
}
