package dev.flowmeter.agent.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the agent's configuration. Precedence, highest first: agent arguments
 * ({@code key=value,key=value}), system properties ({@code -Dflowmeter.key=value}), environment
 * ({@code FLOWMETER_KEY}), the YAML file named by {@code config}, defaults. Unknown keys are errors in
 * agent arguments, {@code flowmeter.*} system properties and the file; the environment is shared with
 * other programs, so only the known {@code FLOWMETER_*} variables are read from it.
 */
public final class ConfigParser {

    /** Keys that only the file has: they are not single values. */
    public static final String RULES = "rules";
    static final String MAX_SERIES_PER_METRIC = "max_series_per_metric";
    public static final String BUCKETS_PER_METRIC = "buckets_per_metric";
    /** What a rules file was tested with: shown to the user when a bundled one is skipped; read by nothing else. */
    public static final String TESTED_WITH = "tested_with";

    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})([smhd])");

    private final Set<String> instrumentations;
    private final Collection<String> histograms;

    /**
     * @param instrumentations the names {@code disable} accepts
     * @param histograms the built-in histograms, the names {@code buckets_per_metric} accepts
     */
    public ConfigParser(Set<String> instrumentations, Collection<String> histograms) {
        this.instrumentations = instrumentations;
        this.histograms = histograms;
    }

    public AgentConfig parse(String agentArguments, Map<String, String> systemProperties, Map<String, String> environment)
            throws ConfigException {
        List<String> warnings = new ArrayList<>();
        Map<Setting, String> given = new EnumMap<>(Setting.class);
        for (Setting setting : Setting.values()) {
            String fromEnvironment = environment.get(setting.environmentVariable());
            if (fromEnvironment != null) {
                given.put(setting, fromEnvironment);
            }
        }
        for (Map.Entry<String, String> property : systemProperties.entrySet()) {
            if (property.getKey().startsWith("flowmeter.")) {
                String key = property.getKey().substring("flowmeter.".length());
                given.put(known(key, property.getKey() + "=" + property.getValue()), property.getValue());
            }
        }
        given.putAll(parseArguments(agentArguments));

        String path = given.getOrDefault(Setting.CONFIG, "").trim();
        Map<String, Object> file = path.isEmpty() ? Map.of() : ConfigFile.load(path);
        Map<Setting, String> values = fileSettings(path, file);
        values.putAll(given);
        for (Setting setting : Setting.values()) {
            values.putIfAbsent(setting, setting.defaultValue());
            values.put(setting, values.get(setting).trim());
        }

        if (!values.get(Setting.NAMING).matches("prometheus|conductor")) {
            throw invalid(Setting.NAMING, values.get(Setting.NAMING), "prometheus or conductor");
        }
        if (!values.get(Setting.HISTOGRAMS).matches("classic|native|both")) {
            throw invalid(Setting.HISTOGRAMS, values.get(Setting.HISTOGRAMS), "classic, native or both");
        }
        if (!values.get(Setting.SCRAPE_CACHE).equals(AgentConfig.OFF) && positiveDuration(values.get(Setting.SCRAPE_CACHE)) == null) {
            throw invalid(Setting.SCRAPE_CACHE, values.get(Setting.SCRAPE_CACHE), "off, or a positive duration such as 15s or 1m");
        }
        bool(Setting.RELOAD, values.get(Setting.RELOAD));
        duration(Setting.RELOAD_INTERVAL, values.get(Setting.RELOAD_INTERVAL));
        if (!given.getOrDefault(Setting.AUTH_PASSWORD, "").isEmpty()
                && environment.get(Setting.AUTH_PASSWORD.environmentVariable()) == null) {
            warnings.add("auth_password is given on the command line, where ps shows it to every user of the machine;"
                    + " use auth_password_hash, auth_password_env or auth_password_file");
        }
        return new AgentConfig(values, disabled(values.get(Setting.DISABLE)),
                bucketsPerMetric(path, file.get(BUCKETS_PER_METRIC)), path, file, ServerSecurity.of(values, environment),
                warnings);
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
                    throw new ConfigException("agent argument '" + shown(token) + "' in '" + shown(arguments) + "' is not key=value"
                            + (previous == null ? "" : " and '" + previous.key() + "' takes a single value")
                            + "; accepted keys: " + Setting.keys());
                }
                values.put(previous, values.get(previous) + "," + token);
                continue;
            }
            String key = token.substring(0, equals).trim();
            Setting setting = known(key, token);
            if (values.containsKey(setting)) {
                throw new ConfigException("agent argument '" + shown(key) + "' is given twice in '" + shown(arguments)
                        + "'; give each key once");
            }
            values.put(setting, token.substring(equals + 1));
            previous = setting;
        }
        return values;
    }

    private static Map<Setting, String> fileSettings(String path, Map<String, Object> file) throws ConfigException {
        Map<Setting, String> values = new EnumMap<>(Setting.class);
        for (Map.Entry<String, Object> entry : file.entrySet()) {
            String key = entry.getKey();
            if (key.equals(RULES) || key.equals(MAX_SERIES_PER_METRIC) || key.equals(BUCKETS_PER_METRIC)
                    || key.equals(TESTED_WITH)) {
                continue;
            }
            Setting setting = Setting.byKey(key);
            if (setting == null || setting == Setting.CONFIG) {
                throw new ConfigException("unknown key '" + shown(key) + "' in config file '" + shown(path) + "'; accepted keys: "
                        + Setting.keys().replace("config, ", "") + ", " + RULES + ", " + MAX_SERIES_PER_METRIC + ", "
                        + BUCKETS_PER_METRIC + ", " + TESTED_WITH);
            }
            Object value = entry.getValue();
            if (value instanceof Boolean && (setting == Setting.WEAVE_CACHE || setting == Setting.SCRAPE_CACHE)) {
                // YAML reads an unquoted on or off as a boolean; these settings mean the words
                value = (Boolean) value ? "on" : AgentConfig.OFF;
            }
            values.put(setting, scalar(path, key, value, setting.isList()));
        }
        return values;
    }

    private static String scalar(String path, String key, Object value, boolean list) throws ConfigException {
        if (value instanceof List && list) {
            List<String> items = new ArrayList<>();
            for (Object item : (List<?>) value) {
                items.add(scalar(path, key, item, false));
            }
            return String.join(",", items);
        }
        if (isScalar(value)) {
            return String.valueOf(value);
        }
        throw new ConfigException("'" + key + "' in config file '" + shown(path) + "' must be a single value"
                + (list ? " or a list" : "") + ", not " + describe(value));
    }

    static Map<String, Integer> maxSeriesPerMetric(String path, Object value) throws ConfigException {
        Map<String, Integer> caps = new LinkedHashMap<>();
        if (value == null) {
            return caps;
        }
        if (!(value instanceof Map)) {
            throw new ConfigException("'" + MAX_SERIES_PER_METRIC + "' in config file '" + shown(path)
                    + "' must map metric names to numbers, not " + describe(value));
        }
        for (Map.Entry<?, ?> entry : ((Map<?, ?>) value).entrySet()) {
            if (!(entry.getKey() instanceof String) || !isScalar(entry.getValue())) {
                throw new ConfigException("'" + MAX_SERIES_PER_METRIC + "' in config file '" + shown(path)
                        + "' must map metric names to numbers, not " + describe(entry.getKey()) + " to "
                        + describe(entry.getValue()));
            }
            caps.put((String) entry.getKey(), positive(Setting.MAX_SERIES, String.valueOf(entry.getValue())));
        }
        return caps;
    }

    /** The bucket bounds of built-in histograms, by name; a rule's own histogram or timer takes {@code buckets} in the rule. */
    private Map<String, double[]> bucketsPerMetric(String path, Object value) throws ConfigException {
        Map<String, double[]> layouts = new LinkedHashMap<>();
        if (value == null) {
            return layouts;
        }
        String where = "'" + BUCKETS_PER_METRIC + "' in config file '" + shown(path) + "'";
        if (!(value instanceof Map)) {
            throw new ConfigException(where + " must map metric names to " + Buckets.ACCEPTED + ", not " + describe(value));
        }
        for (Map.Entry<?, ?> entry : ((Map<?, ?>) value).entrySet()) {
            String name = shown(entry.getKey());
            if (!histograms.contains(name)) {
                throw new ConfigException(where + " names '" + name + "', which is not a built-in histogram; give one of "
                        + String.join(", ", histograms) + " (a rule's own histogram or timer takes 'buckets' in the rule)");
            }
            try {
                layouts.put(name, Buckets.parse(entry.getValue()));
            } catch (IllegalArgumentException invalid) {
                throw new ConfigException(where + ": " + name + " " + invalid.getMessage() + "; give " + Buckets.ACCEPTED);
            }
        }
        return layouts;
    }

    /**
     * The {@code rules} of a rules file, a user's or a bundled one: a list of maps, or an error that
     * says where it is not.
     */
    public static List<Map<String, Object>> rules(String path, Object value) throws ConfigException {
        List<Map<String, Object>> rules = new ArrayList<>();
        if (value == null) {
            return rules;
        }
        if (!(value instanceof List)) {
            throw new ConfigException("'" + RULES + "' in config file '" + shown(path) + "' must be a list of rules, not "
                    + describe(value));
        }
        int index = 0;
        for (Object rule : (List<?>) value) {
            index++;
            if (!(rule instanceof Map)) {
                throw new ConfigException("rule " + index + " in config file '" + shown(path)
                        + "' must be a map with keys such as class and method, not " + describe(rule));
            }
            Map<String, Object> named = new LinkedHashMap<>();
            for (Map.Entry<?, ?> entry : ((Map<?, ?>) rule).entrySet()) {
                named.put(entry.getKey() instanceof String ? (String) entry.getKey() : shown(entry.getKey()),
                        entry.getValue());
            }
            rules.add(named);
        }
        return rules;
    }

    private static boolean isScalar(Object value) {
        return value instanceof String || value instanceof Number || value instanceof Boolean;
    }

    private static String describe(Object value) {
        return value == null ? "nothing" : value instanceof Map ? "a map" : value instanceof List ? "a list"
                : "'" + shown(value) + "'";
    }

    private static String shown(Object value) {
        return ConfigException.shown(value);
    }

    private static Setting known(String key, String given) throws ConfigException {
        Setting setting = Setting.byKey(key);
        if (setting == null) {
            throw new ConfigException("unknown key '" + shown(key) + "' in '" + shown(given) + "'; accepted keys: "
                    + Setting.keys());
        }
        return setting;
    }

    static int port(String value) throws ConfigException {
        return integer(Setting.PORT, value, 0, 65535, "an integer from 0 to 65535 (0 picks a free port)");
    }

    static int positive(Setting setting, String value) throws ConfigException {
        return integer(setting, value, 1, 100_000_000, "a whole number from 1 to 100000000");
    }

    private static int integer(Setting setting, String value, int min, int max, String accepted) throws ConfigException {
        try {
            int number = Integer.parseInt(value);
            if (number >= min && number <= max) {
                return number;
            }
        } catch (NumberFormatException notANumber) {
            // reported below, with what is accepted
        }
        throw invalid(setting, value, accepted);
    }

    static Duration duration(Setting setting, String value) throws ConfigException {
        Duration duration = positiveDuration(value);
        if (duration == null) {
            throw invalid(setting, value, "a positive duration such as 90s, 30m, 24h or 7d");
        }
        return duration;
    }

    /** A positive duration such as 90s, 30m, 24h or 7d; null for anything else. */
    static Duration positiveDuration(String value) {
        Matcher matcher = DURATION.matcher(value);
        if (!matcher.matches() || Long.parseLong(matcher.group(1)) == 0) {
            return null;
        }
        long amount = Long.parseLong(matcher.group(1));
        switch (matcher.group(2)) {
            case "s": return Duration.ofSeconds(amount);
            case "m": return Duration.ofMinutes(amount);
            case "h": return Duration.ofHours(amount);
            default: return Duration.ofDays(amount);
        }
    }

    static boolean bool(Setting setting, String value) throws ConfigException {
        if (value.equals("true") || value.equals("false")) {
            return Boolean.parseBoolean(value);
        }
        throw invalid(setting, value, "true or false");
    }

    static String pushgateway(String value) throws ConfigException {
        if (value.isEmpty() || value.matches("https?://[^/?#\\s]+(/[^?#\\s]*)?")) {
            return value.endsWith("/") ? value.substring(0, value.length() - 1) : value;
        }
        throw invalid(Setting.PUSHGATEWAY, value, "an http:// or https:// URL, such as http://pushgateway:9091");
    }

    static String job(String value) throws ConfigException {
        if (value.matches("[A-Za-z0-9_.:-]{1,100}")) {
            return value;
        }
        throw invalid(Setting.JOB, value, "a job name of letters, digits and _ . : -");
    }

    static String host(String value) throws ConfigException {
        if (value.isEmpty() || value.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
            throw invalid(Setting.HOST, value, "a host name or IP address, such as 0.0.0.0 or 127.0.0.1");
        }
        return value;
    }

    static TimerKind timers(String value) throws ConfigException {
        for (TimerKind kind : TimerKind.values()) {
            if (kind.name().toLowerCase(Locale.ROOT).equals(value)) {
                return kind;
            }
        }
        throw invalid(Setting.TIMERS, value, "histogram or summary");
    }

    private Set<String> disabled(String value) throws ConfigException {
        Set<String> disabled = new LinkedHashSet<>();
        for (String name : list(value)) {
            if (!instrumentations.contains(name)) {
                throw invalid(Setting.DISABLE, value, "a comma-separated list of " + String.join(", ", instrumentations));
            }
            disabled.add(name);
        }
        return disabled;
    }

    static List<String> list(String value) {
        List<String> items = new ArrayList<>();
        for (String item : value.split(",")) {
            if (!item.trim().isEmpty()) {
                items.add(item.trim());
            }
        }
        return items;
    }

    private static ConfigException invalid(Setting setting, String value, String accepted) {
        return new ConfigException("invalid value '" + shown(value) + "' for '" + setting.key() + "'; accepted: " + accepted);
    }
}
