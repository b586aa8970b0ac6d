package dev.flowmeter.testapp;

/**
 * Reproducible pseudo-random numbers: a pure function of the seed and what is being decided, so that
 * the outcome of a run does not depend on which thread happens to ask first.
 */
final class Seeded {

    private Seeded() {
    }

    /** @return a number in [0, 1) determined by seed, decision and sequence */
    static double fraction(long seed, String decision, long sequence) {
        long hash = mix(seed ^ mix(decision.hashCode() ^ mix(sequence)));
        return (hash >>> 11) * 0x1.0p-53;
    }

    // SplitMix64's finalizer: spreads every input bit over the whole output.
    private static long mix(long z) {
        z += 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
