package dev.flowmeter.e2e.reliability.sample;

import java.util.function.IntUnaryOperator;

/**
 * Loaded by a child class loader that the application later drops: instrumented by a method rule
 * (whose label expression resolves on this class) and a gauge rule (which tracks its instances).
 */
public class Plugin implements IntUnaryOperator {
    private int steps;

    /** Runs {@code calls} instrumented steps and returns how many it counted itself. */
    @Override
    public int applyAsInt(int calls) {
        for (int i = 0; i < calls; i++) {
            step(i);
        }
        return steps;
    }

    public int step(int i) {
        steps++;
        return i;
    }

    public int steps() {
        return steps;
    }
}
