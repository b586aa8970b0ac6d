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

    /**
     * Reserves the id that a rule's advice is bound to, before its probe is made: ids follow the order
     * of the rules, not of the classes woven, so that a woven class is the same from one run to the
     * next. Until {@link #set}, calls with the id record nothing.
     */
    public static int reserve() {
        synchronized (LOCK) {
            Probe[] grown = Arrays.copyOf(probes, probes.length + 1);
            grown[probes.length] = Unset.INSTANCE;
            probes = grown;
            return probes.length - 1;
        }
    }

    /** The probe of a reserved id. */
    public static void set(int id, Probe probe) {
        synchronized (LOCK) {
            Probe[] changed = probes.clone();
            changed[id] = probe;
            probes = changed;
        }
    }

    /**
     * Takes an id's probe out: calls with it record nothing from now on, so that the probe and what it
     * records can go. A method still running code woven with the id ends its call as a no-op.
     */
    public static void unset(int id) {
        set(id, Unset.INSTANCE);
    }

    /** What an id records before its probe is set, and after it is unset: nothing. */
    static final class Unset extends Probe {
        static final Unset INSTANCE = new Unset();

        @Override
        public void exit(long entered, Object self, Object argument, Object returned, Throwable thrown) {}

        @Override
        public void failed(Throwable error) {}
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
