package dev.flowmeter.agent.config;

import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads the agent's configuration. Precedence, highest first: agent arguments
 * ({@code key=value,key=value}), system properties ({@code -Dflowmeter.key=value}), environment
 * ({@code FLOWMETER_KEY}), defaults. Unknown keys are errors in agent arguments and in
 * {@code flowmeter.*} system properties; the environment is shared with other programs, so only
 * the known {@code FLOWMETER_*} variables are read from it.
 */
public final class ConfigParser {

    private final Set<String> instrumentations;

    /** @param instrumentations the names {@code disable} accepts */
    public ConfigParser(Set<String> instrumentations) {
        this.instrumentations = instrumentations;
    }

    public AgentConfig parse(String agentArguments, Map<String, String> systemProperties, Map<String, String> environment)
            throws ConfigException {
        Map<Setting, String> values = new EnumMap<>(Setting.class);
        for (Setting setting : Setting.values()) {
            String fromEnvironment = environment.get(setting.environmentVariable());
            if (fromEnvironment != null) {
                values.put(setting, fromEnvironment);
            }
        }
        for (Map.Entry<String, String> property : systemProperties.entrySet()) {
            if (property.getKey().startsWith("flowmeter.")) {
                String key = property.getKey().substring("flowmeter.".length());
                values.put(known(key, property.getKey() + "=" + property.getValue()), property.getValue());
            }
        }
        values.putAll(parseArguments(agentArguments));

        return new AgentConfig(
                port(value(values, Setting.PORT)),
                host(value(values, Setting.HOST)),
                timers(value(values, Setting.TIMERS)),
                disabled(value(values, Setting.DISABLE)));
    }

    /** Splits {@code key=value,key=value}; a token without '=' continues the previous key's list. */
    Map<Setting, String> parseArguments(String arguments) throws ConfigException {
        Map<Setting, String> values = new EnumMap<>(Setting.class);
        if (arguments == null || arguments.trim().isEmpty()) {
            return values;
        }
        Setting previous = null;
        for (String token : arguments.split(",", -1)) {
            int equals = token.indexOf('=');
            if (equals < 0) {
                if (previous == null || !previous.isList()) {
                    throw new ConfigException("agent argument '" + token + "' in '" + arguments + "' is not key=value"
                            + (previous == null ? "" : " and '" + previous.key() + "' takes a single value")
                            + "; accepted keys: " + Setting.keys());
                }
                values.put(previous, values.get(previous) + "," + token);
                continue;
            }
            String key = token.substring(0, equals).trim();
            Setting setting = known(key, token);
            if (values.containsKey(setting)) {
                throw new ConfigException("agent argument '" + key + "' is given twice in '" + arguments
                        + "'; give each key once");
            }
            values.put(setting, token.substring(equals + 1));
            previous = setting;
        }
        return values;
    }

    private static Setting known(String key, String given) throws ConfigException {
        Setting setting = Setting.byKey(key);
        if (setting == null) {
            throw new ConfigException("unknown key '" + key + "' in '" + given + "'; accepted keys: " + Setting.keys());
        }
        return setting;
    }

    private static String value(Map<Setting, String> values, Setting setting) {
        return values.getOrDefault(setting, setting.defaultValue()).trim();
    }

    private static int port(String value) throws ConfigException {
        try {
            int port = Integer.parseInt(value);
            if (port >= 0 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException notANumber) {
            // reported below, with what is accepted
        }
        throw invalid(Setting.PORT, value, "an integer from 0 to 65535 (0 picks a free port)");
    }

    private static String host(String value) throws ConfigException {
        if (value.isEmpty() || value.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
            throw invalid(Setting.HOST, value, "a host name or IP address, such as 0.0.0.0 or 127.0.0.1");
        }
        return value;
    }

    private static TimerKind timers(String value) throws ConfigException {
        for (TimerKind kind : TimerKind.values()) {
            if (kind.name().toLowerCase(Locale.ROOT).equals(value)) {
                return kind;
            }
        }
        throw invalid(Setting.TIMERS, value, "histogram or summary");
    }

    private Set<String> disabled(String value) throws ConfigException {
        Set<String> disabled = new LinkedHashSet<>();
        for (String name : value.split(",")) {
            String trimmed = name.trim();
            if (trimmed.isEmpty()) {
                continue;
            }
            if (!instrumentations.contains(trimmed)) {
                throw invalid(Setting.DISABLE, value, "a comma-separated list of " + String.join(", ", instrumentations));
            }
            disabled.add(trimmed);
        }
        return disabled;
    }

    private static ConfigException invalid(Setting setting, String value, String accepted) {
        return new ConfigException("invalid value '" + value + "' for '" + setting.key() + "'; accepted: " + accepted);
    }
}
