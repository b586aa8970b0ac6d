package dev.flowmeter.e2e.rules.sample;

public final class Tag {
    private final String text;

    public Tag(String text) {
        this.text = text;
    }

    public String text() {
        return text;
    }

    /** A label expression that calls this throws: the agent must keep that to itself. */
    public String explode() {
        throw new IllegalStateException("a getter that throws");
    }
}
