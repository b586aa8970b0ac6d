package dev.flowmeter.agent.probe;

/** A rule that cannot apply; the message names the rule and says what to change. */
public final class RuleException extends Exception {
    public RuleException(String message) {
        super(message, null, false, false);
    }
}
