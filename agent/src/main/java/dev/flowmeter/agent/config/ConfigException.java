package dev.flowmeter.agent.config;

/** A configuration the agent cannot run with; the message is the one line the user reads. */
public final class ConfigException extends Exception {
    public ConfigException(String message) {
        super(message, null, false, false);
    }
}
