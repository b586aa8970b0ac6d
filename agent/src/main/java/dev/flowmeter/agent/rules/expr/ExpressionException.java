package dev.flowmeter.agent.rules.expr;

/** An expression that does not parse, or does not resolve on the object it met. */
public final class ExpressionException extends RuntimeException {
    public ExpressionException(String message) {
        super(message, null, false, false);
    }
}
