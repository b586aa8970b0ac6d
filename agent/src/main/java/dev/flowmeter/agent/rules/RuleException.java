package dev.flowmeter.agent.rules;

/** A rule that cannot apply; the message, one line, names the rule and says what to change. */
public final class RuleException extends Exception {
    public RuleException(String message) {
        super(dev.flowmeter.agent.config.ConfigException.oneLine(message), null, false, false);
    }
}
