package dev.flowmeter.e2e.live;

/** The methods the live-operations harness calls without pause; each result is known in advance. */
public final class Steps {

    public int alpha(int value) {
        return value * 3 + 1;
    }

    public int beta(int value) {
        return value ^ 0x5a5a;
    }

    public int gamma(int value) {
        return Integer.rotateLeft(value, 7);
    }

    public String kind() {
        return "steps";
    }
}
