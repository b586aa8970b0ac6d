package dev.flowmeter.agent;

import dev.flowmeter.agent.metrics.Catalog;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.flowmeter.agent.config.AgentConfig;
import dev.flowmeter.agent.config.ConfigException;
import dev.flowmeter.agent.config.ConfigParser;
import dev.flowmeter.agent.config.Setting;
import dev.flowmeter.agent.rules.RuleParser;
import dev.flowmeter.agent.rules.RuleSet;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * Property-based tests of everything a user can get wrong before the agent runs: random agent
 * arguments, system properties and environments, and random YAML files with random rules. From a
 * seeded {@link Random}, so a failure replays ({@code -Dflowmeter.fuzz.seed=N} explores others).
 * Properties: the parser accepts, or throws {@link ConfigException} whose message is one line
 * naming the problem; it throws nothing else, never hangs, and the rule parser accepts or reports
 * every rule, each report one line.
 */
class BadInputTest {

    static final long SEED = Long.getLong("flowmeter.fuzz.seed", 20_250_611L);
    static final int ARGUMENT_STRINGS = 10_000;
    static final int DOCUMENTS = 10_000;
    static final int BATCH = 500;
    static final Duration BATCH_TIMEOUT = Duration.ofSeconds(30);
    /** The longest message the agent may print for one problem. */
    static final int MAX_MESSAGE = 2_000;

    static final Set<String> INSTRUMENTATIONS = Set.of("conductor", RuleSet.USER_RULES);
    static final List<String> KEYS = new ArrayList<>();

    @TempDir
    static Path folder;
    static final List<String> PATHS = new ArrayList<>();
    static final List<String> SECRET_FILES = new ArrayList<>();

    static {
        for (Setting setting : Setting.values()) {
            KEYS.add(setting.key());
        }
    }

    @BeforeAll
    static void files() throws Exception {
        Path empty = Files.writeString(folder.resolve("empty.yaml"), "");
        Path valid = Files.writeString(folder.resolve("valid.yaml"), "port: 0\nrules: []\n");
        Path garbage = Files.write(folder.resolve("garbage.yaml"), new byte[] {(byte) 0xC3, 0x28, (byte) 0xFF, 0, 10});
        Path password = Files.writeString(folder.resolve("password"), "s3cret\n");
        Path emptyPassword = Files.writeString(folder.resolve("empty-password"), "");
        Path fifo = folder.resolve("fifo");
        boolean haveFifo = false;
        try {
            Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
            haveFifo = mkfifo.waitFor(10, TimeUnit.SECONDS) && mkfifo.exitValue() == 0;
        } catch (IOException noMkfifo) {
            // no named pipe on this system
        }
        List<String> common = new ArrayList<>(List.of(folder.resolve("missing.yaml").toString(), "/no/such/dir/x.yaml",
                folder.toString(), empty.toString(), valid.toString(), garbage.toString(), "/dev/null", "/dev/zero",
                "a\u0000b", "", "   ", "relative.yaml", "/" + "x".repeat(5000), "C:\\flowmeter.yaml", "ü/ñ.yaml"));
        if (haveFifo) {
            common.add(fifo.toString());
        }
        PATHS.addAll(common);
        SECRET_FILES.addAll(common);
        SECRET_FILES.add(password.toString());
        SECRET_FILES.add(emptyPassword.toString());
    }

    /** What the parser did with the inputs: accepted, or the first words of each kind of message. */
    private final Map<String, Integer> outcomes = new TreeMap<>();

    @Test
    void randomArgumentsAreAcceptedOrReportedInOneLine() {
        Random random = new Random(SEED);
        int tried = 0;
        for (int batch = 0; batch < ARGUMENT_STRINGS / BATCH; batch++) {
            List<Object[]> inputs = new ArrayList<>();
            for (int i = 0; i < BATCH; i++) {
                inputs.add(new Object[] {arguments(random), systemProperties(random), environment(random)});
            }
            assertTimeoutPreemptively(BATCH_TIMEOUT, () -> {
                for (Object[] input : inputs) {
                    @SuppressWarnings("unchecked")
                    Map<String, String> properties = (Map<String, String>) input[1];
                    @SuppressWarnings("unchecked")
                    Map<String, String> environment = (Map<String, String>) input[2];
                    parseOrReport((String) input[0], properties, environment);
                }
            }, () -> "a batch of " + BATCH + " argument strings took longer than " + BATCH_TIMEOUT);
            tried += inputs.size();
        }
        assertEquals(ARGUMENT_STRINGS, tried);
        System.out.println("BadInputTest: " + tried + " argument strings (seed " + SEED + "): " + outcomes);
        assertTrue(outcomes.getOrDefault("accepted", 0) > 100, "the generator must also make valid inputs: " + outcomes);
    }

    @Test
    void randomConfigFilesAndRulesAreAcceptedOrReportedInOneLine() throws Exception {
        Random random = new Random(SEED + 1);
        int[] counts = new int[4]; // documents, reaching the rule parser, rules compiled, rules reported
        for (int batch = 0; batch < DOCUMENTS / BATCH; batch++) {
            List<String> paths = new ArrayList<>();
            for (int i = 0; i < BATCH; i++) {
                int pick = random.nextInt(100);
                if (pick < 2) {
                    paths.add(PATHS.get(random.nextInt(PATHS.size())));
                    continue;
                }
                Path file = folder.resolve("doc-" + (batch * BATCH + i) + ".yaml");
                if (pick < 4) {
                    byte[] bytes = new byte[random.nextInt(200)];
                    random.nextBytes(bytes);
                    Files.write(file, bytes);
                } else {
                    Files.write(file, document(random).getBytes(StandardCharsets.UTF_8)); // a lone surrogate becomes '?'
                }
                paths.add(file.toString());
            }
            assertTimeoutPreemptively(BATCH_TIMEOUT, () -> {
                for (String path : paths) {
                    counts[0]++;
                    String arguments = "config=" + path + (random.nextInt(10) == 0 ? ",port=0" : "");
                    AgentConfig config = parseOrReport(arguments, Map.of(), Map.of());
                    if (config == null) {
                        continue;
                    }
                    counts[1]++;
                    RuleSet rules = new RuleParser().ruleSet("rules", null, false, config.rules());
                    assertEquals(config.rules().size(), rules.rules().size() + rules.problems().size(),
                            () -> "every rule is compiled or reported: " + shown(read(path)));
                    for (String problem : rules.problems()) {
                        assertOneLine(problem, path);
                        assertTrue(problem.startsWith("rule "), problem);
                    }
                    counts[2] += rules.rules().size();
                    counts[3] += rules.problems().size();
                }
            }, () -> "a batch of " + BATCH + " config files took longer than " + BATCH_TIMEOUT);
            for (String path : paths) {
                if (path.contains("doc-")) {
                    Files.deleteIfExists(Path.of(path));
                }
            }
        }
        assertEquals(DOCUMENTS, counts[0]);
        System.out.println("BadInputTest: " + counts[0] + " config files (seed " + (SEED + 1) + "), " + counts[1]
                + " accepted and their rules parsed: " + counts[2] + " rules compiled, " + counts[3]
                + " rules reported; outcomes " + outcomes);
        assertTrue(counts[2] > 500 && counts[3] > 500, "the generator must make good and bad rules");
    }

    private AgentConfig parseOrReport(String arguments, Map<String, String> properties, Map<String, String> environment) {
        try {
            AgentConfig config = new ConfigParser(INSTRUMENTATIONS, Catalog.HISTOGRAMS).parse(arguments, properties, environment);
            assertTrue(config.port() >= 0 && config.port() <= 65535, arguments);
            assertTrue(config.maxSeries("any") >= 1, arguments);
            outcomes.merge("accepted", 1, Integer::sum);
            return config;
        } catch (ConfigException reported) {
            String message = reported.getMessage();
            assertOneLine(message, arguments);
            assertTrue(namesTheProblem(message), () -> "the message names no key nor the file: " + shown(message));
            outcomes.merge(kind(message), 1, Integer::sum);
            return null;
        } catch (Throwable other) {
            fail("parsing " + shown(arguments) + " with " + shown(properties) + " and " + shown(environment)
                    + " threw " + other, other);
            return null;
        }
    }

    private static void assertOneLine(String message, String input) {
        assertTrue(message != null && !message.isBlank(), () -> "an empty message for " + shown(input));
        assertTrue(message.chars().noneMatch(c -> c == '\n' || c == '\r' || c == '\u0085' || c == '\u2028'
                || c == '\u2029'), () -> "not one line: " + shown(message) + " for " + shown(input));
        assertTrue(message.length() <= MAX_MESSAGE, () -> "a message of " + message.length() + " characters: "
                + shown(message));
    }

    private static boolean namesTheProblem(String message) {
        return message.contains("config file") || message.contains("agent argument")
                || KEYS.stream().anyMatch(message::contains);
    }

    /** The message up to the first quoted value, and the setting an invalid value is for, to count kinds of messages. */
    private static String kind(String message) {
        String kind = message.split("'", 2)[0].trim();
        int setting = message.indexOf("' for '");
        return setting < 0 ? kind : kind + " for " + message.substring(setting + 7, message.indexOf('\'', setting + 7));
    }

    private static String shown(Object value) {
        String text = String.valueOf(value);
        return text.length() > 300 ? text.substring(0, 300) + "...(" + text.length() + " chars)" : text;
    }

    private static String read(String path) {
        try {
            return Files.size(Path.of(path)) > 10_000 ? path : Files.readString(Path.of(path));
        } catch (IOException | RuntimeException unreadable) {
            return path;
        }
    }

    // ---- agent arguments, system properties, environment ----

    static String arguments(Random r) {
        if (r.nextInt(100) == 0) {
            return null;
        }
        int tokens = r.nextInt(6);
        StringBuilder arguments = new StringBuilder();
        for (int i = 0; i < tokens; i++) {
            if (i > 0) {
                arguments.append(pick(r, ",", ",", ",", ",", ",,", ", ", " ,"));
            }
            arguments.append(token(r));
        }
        return r.nextInt(20) == 0 ? " " + arguments + "\t" : arguments.toString();
    }

    static String token(Random r) {
        String key = KEYS.get(r.nextInt(KEYS.size()));
        switch (r.nextInt(12)) {
            case 0: return unknownKey(r) + "=" + value(r, key);
            case 1: return value(r, key); // no '=': continues a list, or is an error
            case 2: return "";
            case 3: return "=" + value(r, key);
            case 4: return key + "==" + value(r, key);
            case 5: return key + "=" + value(r, key) + "=" + value(r, key);
            case 6: return pick(r, "=", "==", " = ", key + " = " + value(r, key), key.toUpperCase() + "=1");
            case 7: return junk(r);
            default: return key + "=" + value(r, key);
        }
    }

    static String unknownKey(Random r) {
        return pick(r, "prot", "PORT", "Port", " port", "port ", "flowmeter.port", "max-series", "", "ünïcode",
                "rules", "max_series_per_metric", "config.port", junk(r));
    }

    static String value(Random r, String key) {
        if (r.nextInt(4) == 0) {
            return anyText(r);
        }
        switch (key) {
            case "port": case "max_series": case "max_pending_workflows": return integer(r);
            case "host": return pick(r, "127.0.0.1", "0.0.0.0", "localhost", "::1", "", "  ", "a b", "host\tname",
                    "höst", "256.256.256.256", "x".repeat(300));
            case "timers": return pick(r, "histogram", "summary", "HISTOGRAM", "Summary", "", "quantiles", "histogram ");
            case "disable": return pick(r, "conductor", "rules", "conductor,rules", "nothing", "", ",", "conductor,,",
                    "CONDUCTOR");
            case "config": case "extensions": case "tls_keystore": return PATHS.get(r.nextInt(PATHS.size()));
            case "max_workflow_age": return pick(r, "90s", "30m", "24h", "7d", "0s", "-1h", "1000000000d",
                    "999999999d", "24H", "1.5h", "h", "24", "١h", integer(r) + "s");
            case "auth_user": return pick(r, "prometheus", "", "ü", "a:b", " ");
            case "auth_password_hash": return pick(r, "sha256:salt:" + "ab".repeat(32), "sha256:salt:" + "AB".repeat(32),
                    "pbkdf2:1000:salt:" + "ab".repeat(32), "pbkdf2:0:salt:ab", "pbkdf2:99999999999:salt:ab",
                    "pbkdf2:1:salt:" + "ab".repeat(r.nextInt(100_000)), "md5:x", "", ":::", "pbkdf2:1:salt:abc");
            case "auth_password_env": case "tls_keystore_password_env": return pick(r, "PW", "EMPTY", "UNSET", "",
                    "PATH", "ü");
            case "auth_password_file": case "tls_keystore_password_file": return SECRET_FILES.get(r.nextInt(SECRET_FILES.size()));
            default: return anyText(r);
        }
    }

    static String integer(Random r) {
        return pick(r, "0", "1", "-1", "65535", "65536", "9464", "-99999", "2147483647", "2147483648", "-2147483648",
                "99999999999999999999999", "100000000", "100000001", "1e3", "0x1F", "+80", "080", "\u0669\u0664\u0666\u0664",
                "\uFF11\uFF12", " 9464 ", "9464\n", "", "NaN", "1_000", "9".repeat(r.nextInt(50) + 1),
                String.valueOf(r.nextInt()), String.valueOf(r.nextLong()));
    }

    static String anyText(Random r) {
        switch (r.nextInt(20)) {
            case 0: return "";
            case 1: return junk(r).repeat(1 + r.nextInt(5_000)); // long
            case 2: return integer(r);
            default: return junk(r);
        }
    }

    /** A short string of characters that parsers trip on: separators, controls, surrogates, marks, emoji. */
    static String junk(Random r) {
        StringBuilder junk = new StringBuilder();
        int length = r.nextInt(12);
        for (int i = 0; i < length; i++) {
            switch (r.nextInt(10)) {
                case 0: junk.append(pick(r, "=", ",", ":", ".", "\\", "\"", "'", "%", "$", "{", "}", "[", "]", "#", "&", "*"));
                    break;
                case 1: junk.append(pick(r, "\u0000", "\n", "\r", "\t", "\u0085", "\u2028", "\u2029", "\u001B", "\u007F"));
                    break;
                case 2: junk.append(pick(r, "\uD800", "\uDC00", "\uD83D\uDE00", "\u0301", "\u202E", "\uFEFF", "\uFFFF"));
                    break;
                case 3: junk.append((char) r.nextInt(0x3000));
                    break;
                default: junk.append((char) ('a' + r.nextInt(26)));
            }
        }
        return junk.toString();
    }

    static Map<String, String> systemProperties(Random r) {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("java.version", "17");
        if (r.nextInt(3) == 0) {
            for (int i = r.nextInt(3); i >= 0; i--) {
                String key = r.nextInt(4) == 0 ? unknownKey(r) : KEYS.get(r.nextInt(KEYS.size()));
                properties.put("flowmeter." + key, value(r, key));
            }
        }
        return properties;
    }

    static Map<String, String> environment(Random r) {
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("PATH", "/usr/bin");
        environment.put("PW", "s3cret");
        environment.put("EMPTY", "");
        if (r.nextInt(3) == 0) {
            for (int i = r.nextInt(3); i >= 0; i--) {
                String key = KEYS.get(r.nextInt(KEYS.size()));
                environment.put(r.nextInt(5) == 0 ? "FLOWMETER_" + unknownKey(r) : "FLOWMETER_" + key.toUpperCase(),
                        value(r, key));
            }
        }
        return environment;
    }

    // ---- YAML documents ----

    static String document(Random r) {
        if (r.nextInt(20) == 0) {
            return crafted(r);
        }
        Map<Object, Object> document = new LinkedHashMap<>();
        boolean plausible = r.nextInt(3) > 0;
        for (int i = r.nextInt(4); i > 0; i--) {
            String key = KEYS.get(r.nextInt(KEYS.size()));
            if (key.equals("config") || key.startsWith("auth") || key.startsWith("tls")) {
                if (plausible) {
                    continue;
                }
            }
            document.put(key, plausible ? plausibleSetting(r, key) : anyValue(r, 0));
        }
        if (r.nextInt(15) == 0) {
            document.put(unknownKey(r), anyValue(r, 0));
        }
        if (r.nextInt(5) == 0) {
            Map<Object, Object> caps = new LinkedHashMap<>();
            for (int i = r.nextInt(3); i >= 0; i--) {
                caps.put(metricName(r), r.nextInt(3) == 0 ? anyValue(r, 1) : r.nextInt(1000));
            }
            document.put("max_series_per_metric", r.nextInt(10) == 0 ? anyValue(r, 0) : caps);
        }
        if (r.nextInt(10) < 8) {
            List<Object> rules = new ArrayList<>();
            for (int i = r.nextInt(7); i > 0; i--) {
                rules.add(r.nextInt(30) == 0 ? anyValue(r, 1) : r.nextBoolean() ? validRule(r) : rule(r));
            }
            document.put("rules", r.nextInt(30) == 0 ? anyValue(r, 0) : rules);
        }
        if (r.nextInt(40) == 0) {
            document.put(r.nextInt(2) == 0 ? 42 : List.of("a"), "a key that is not a name");
        }
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(pick(r, DumperOptions.FlowStyle.BLOCK, DumperOptions.FlowStyle.FLOW,
                DumperOptions.FlowStyle.AUTO));
        options.setAllowUnicode(r.nextBoolean());
        String text;
        try {
            text = new Yaml(options).dump(document);
        } catch (org.yaml.snakeyaml.error.YAMLException unprintable) { // a lone surrogate, say: YAML cannot hold it
            return crafted(r);
        }
        return r.nextInt(5) == 0 ? mutate(r, text) : text;
    }

    static Object plausibleSetting(Random r, String key) {
        switch (key) {
            case "port": return pick(r, 0, 0, 0, 9464, -1, 70000);
            case "host": return pick(r, "127.0.0.1", "0.0.0.0");
            case "timers": return pick(r, "histogram", "summary");
            case "disable": return pick(r, List.of("conductor"), "conductor", List.of());
            case "max_series": case "max_pending_workflows": return pick(r, 1, 10, 2000, 0);
            case "max_workflow_age": return pick(r, "24h", "30m", "0s");
            case "extensions": return pick(r, List.of(), "/no/such.jar");
            default: return anyValue(r, 1);
        }
    }

    /** A rule that compiles, to reach the checks that follow the first mistake; sometimes broken in one place. */
    static Map<Object, Object> validRule(Random r) {
        Map<Object, Object> rule = new LinkedHashMap<>();
        rule.put("class", pick(r, "com.example.Billing", "a.B", "a.b$C", "ünï.Cödé", "java.lang.Runnable"));
        String good = pick(r, "this.name", "arg0", "arg1.getName()", "return", "thrown.getClass().getSimpleName()",
                "this.getClass().getSimpleName()", "shared.task_type");
        switch (r.nextInt(4)) {
            case 0:
                rule.put("gauge", pick(r, "queue_depth", "pool_size"));
                rule.put("value", pick(r, "this.size()", "this.queue.size"));
                rule.put("labels", Map.of("engine", "this.name"));
                break;
            case 1: {
                rule.put("method", "run");
                String role = pick(r, "task_poll", "task_execute", "task_update", "task_paused", "workflow_start",
                        "workflow_end", "api_request", "api_response", "engine_start", "engine_stop");
                rule.put("role", role);
                Map<String, Object> labels = new LinkedHashMap<>();
                if (role.startsWith("task")) {
                    labels.put("task_type", good);
                } else if (role.equals("workflow_start")) {
                    labels.put("workflow_type", good);
                    rule.put("id", "return");
                } else if (role.equals("workflow_end")) {
                    rule.put("id", "arg0");
                } else if (role.equals("api_request")) {
                    labels.put("method", "arg0.method()");
                    labels.put("uri", "arg0.path()");
                } else if (role.equals("api_response")) {
                    rule.put("value", "return.code()");
                }
                rule.put("labels", labels);
                break;
            }
            default:
                rule.put("method", pick(r, "run", "execute", "ŕun"));
                rule.put(pick(r, "timer", "timer", "errors", "counter"), pick(r, "batch_seconds", "batch_calls"));
                rule.put("labels", Map.of(pick(r, "region", "kind", "ü_x".substring(2)), good));
        }
        if (r.nextBoolean()) {
            Object[] keys = rule.keySet().toArray();
            Object key = keys[r.nextInt(keys.length)];
            rule.put(key, r.nextBoolean() ? anyValue(r, 1) : rule(r).getOrDefault(key, expression(r)));
        }
        return rule;
    }

    static Map<Object, Object> rule(Random r) {
        Map<Object, Object> rule = new LinkedHashMap<>();
        if (r.nextInt(3) == 0) {
            rule.put("name", pick(r, "billing", "a rule", "", "line\nbreak", junk(r), 42));
        }
        rule.put("class", className(r));
        int shape = r.nextInt(10);
        if (shape < 2) {
            rule.put("gauge", metricName(r));
            rule.put("value", expression(r));
        } else {
            rule.put("method", pick(r, "run", "execute", "settle", "", "1run", "<init>", "run()", "ŕun", "a b"));
            if (shape < 5) {
                String role = pick(r, "task_poll", "task_execute", "task_update", "task_paused", "workflow_start",
                        "workflow_end", "api_request", "api_response", "engine_start", "engine_pause", "nope", "");
                rule.put("role", role);
                if (role.startsWith("workflow") || r.nextInt(5) == 0) {
                    rule.put("id", expression(r));
                }
                if (role.equals("api_response") || r.nextInt(8) == 0) {
                    rule.put("value", expression(r));
                }
            } else {
                for (String metric : List.of("timer", "errors", "counter")) {
                    if (r.nextInt(2) == 0) {
                        rule.put(metric, metric.equals("timer") && r.nextInt(4) > 0 ? metricName(r) + "_seconds"
                                : metricName(r));
                    }
                }
            }
            if (r.nextInt(4) == 0) {
                rule.put("parameters", pick(r, 0, 1, 2, 255, 256, -1, 3_000_000_000L, List.of("java.lang.String", "int"),
                        List.of("a..b"), "two", List.of()));
            }
        }
        if (r.nextInt(3) > 0) {
            Map<Object, Object> labels = new LinkedHashMap<>();
            for (int i = r.nextInt(4); i >= 0; i--) {
                labels.put(pick(r, "task_type", "workflow_type", "status", "engine", "region", "kind", "le", "quantile",
                        "exception", "__x", "1a", "", "ü", "method", "uri", 7),
                        r.nextInt(10) == 0 ? anyValue(r, 2) : expression(r));
            }
            rule.put("labels", r.nextInt(15) == 0 ? anyValue(r, 1) : labels);
        }
        if (r.nextInt(6) == 0) {
            rule.put(pick(r, "failed_when", "when"), r.nextInt(3) == 0 ? anyValue(r, 1)
                    : Map.of("value", expression(r), "in", List.of("FAILED", 1, true)));
        }
        if (r.nextInt(8) == 0) {
            rule.put("share", pick(r, List.of("task_type"), List.of("region"), "task_type", List.of(List.of("x"))));
        }
        if (r.nextInt(10) == 0) {
            rule.put(pick(r, "clas", "Method", "labels ", "other", ""), anyValue(r, 1));
        }
        if (r.nextInt(10) == 0) { // one key of the right name with a value of the wrong type
            Object[] keys = rule.keySet().toArray();
            rule.put(keys[r.nextInt(keys.length)], anyValue(r, 1));
        }
        return rule;
    }

    static String className(Random r) {
        return pick(r, "com.example.Billing", "a.B", "dev.flowmeter.Engine", "java.lang.Runnable", "a.b$C", "",
                "1abc", "a..b", "a.b.", ".a", "ünï.Cödé", "a b", "a.B[]", "a.b.c.d.e.f.g.h.i.j.K");
    }

    static String metricName(Random r) {
        return pick(r, "calls", "calls_total", "batch", "a:b", "", "bad-name", "__x", "1st", "ü", "x".repeat(300),
                "task_poll", "task_poll_total", "flowmeter_info");
    }

    static String expression(Random r) {
        StringBuilder expression = new StringBuilder(pick(r, "this", "this", "return", "thrown", "arg0", "arg1", "arg2",
                "arg9", "arg10", "shared.task_type", "shared.1", "shared.", "", "  this  ", "THIS", "args0", "arg-1"));
        for (int i = r.nextInt(4); i > 0; i--) {
            expression.append(pick(r, ".name", ".getName()", ".size()", ".x()", ".getClass().getSimpleName()", ".",
                    "..", ".()", ".a()()", ".a b", ".ü", ".name(", ".$x", "._"));
        }
        return expression.toString();
    }

    static Object anyValue(Random r, int depth) {
        switch (r.nextInt(depth < 3 ? 14 : 10)) {
            case 0: return null;
            case 1: return r.nextBoolean();
            case 2: return r.nextInt();
            case 3: return r.nextLong();
            case 4: return new BigInteger(200, r);
            case 5: return pick(r, Double.NaN, Double.POSITIVE_INFINITY, 1e308, -0.0, 1.5);
            case 6: return new Date(r.nextLong() % 4_000_000_000_000L);
            case 7: return junk(r);
            case 8: return integer(r);
            case 9: return new byte[] {1, 2, 3};
            case 10: case 11: {
                List<Object> list = new ArrayList<>();
                for (int i = r.nextInt(4); i > 0; i--) {
                    list.add(anyValue(r, depth + 1));
                }
                return list;
            }
            case 12: return new LinkedHashSet<>(List.of(junk(r)));
            default: {
                Map<Object, Object> map = new LinkedHashMap<>();
                for (int i = r.nextInt(4); i > 0; i--) {
                    map.put(r.nextInt(3) == 0 ? anyValue(r, 3) : junk(r), anyValue(r, depth + 1));
                }
                return map;
            }
        }
    }

    /** Breaks the text of a document: cuts it, inserts YAML's special characters, deletes and repeats. */
    static String mutate(Random r, String text) {
        StringBuilder mutated = new StringBuilder(text);
        for (int i = 1 + r.nextInt(3); i > 0; i--) {
            int at = mutated.length() == 0 ? 0 : r.nextInt(mutated.length());
            switch (r.nextInt(5)) {
                case 0: mutated.setLength(at); break;
                case 1: mutated.insert(at, pick(r, "\t", ":", "&a ", "*a", "!", "!!binary ", "{", "[", "\"", "'", "|", ">",
                        "%", "@", "`", "- ", "? ", "<<: ", "\n", "#", "---\n", "\u0000", "\uFEFF")); break;
                case 2: mutated.delete(at, Math.min(mutated.length(), at + r.nextInt(20))); break;
                case 3: mutated.insert(at, mutated.substring(at, Math.min(mutated.length(), at + r.nextInt(40)))); break;
                default: mutated.insert(at, junk(r));
            }
        }
        return mutated.toString();
    }

    /** Documents written by hand to hit the YAML parser's and the agent's limits. */
    static String crafted(Random r) {
        switch (r.nextInt(20)) {
            case 0: { // the billion laughs, nine levels
                StringBuilder bomb = new StringBuilder("a: &a [x, x, x, x, x, x, x, x, x]\n");
                for (char level = 'b'; level <= 'i'; level++) {
                    bomb.append(level).append(": &").append(level).append(" [");
                    for (int i = 0; i < 9; i++) {
                        bomb.append(i == 0 ? "" : ", ").append('*').append((char) (level - 1));
                    }
                    bomb.append("]\n");
                }
                return bomb.toString();
            }
            case 1: // within the alias limit, 18 aliases expand to 4.3 million values where the agent shows one
                return "rules:\n  - method: run\n    counter: calls\n" + bomb("    ") + "    "
                        + pick(r, "class", "labels", "share", "parameters") + ": [" + aliases("c", 6) + "]\n";
            case 2:
                return "rules:\n  - class: a.B\n    method: run\n    counter: calls\n" + bomb("    ")
                        + "    when: {value: this, in: [" + aliases("c", 6) + "]}\n";
            case 3: return "port: &p [*p]\n";
            case 4: return "rules: &r\n  - class: *r\n    method: run\n    counter: calls\n";
            case 5: return "rules:\n  - &x {class: a.B, method: m, counter: c, labels: {a: this}, name: *x}\n";
            case 6: return "rules:\n  - {class: a.B, method: run, counter: c, labels: &l {a: *l}}\n";
            case 7: { // deep nesting around the parser's limit, and far beyond it
                int depth = pick(r, 18, 19, 20, 21, 1_000, 100_000);
                return "rules: " + "[".repeat(depth) + "]".repeat(depth) + "\n";
            }
            case 8: return "port: " + pick(r, "1e400", "99999999999999999999999999", "0x7FFFFFFF", "0b101", "0o777",
                    ".inf", ".nan", "-.inf", "!!float 1", "!!binary aGVsbG8=", "!!set {a, b}", "!!omap [a: 1]",
                    "!!pairs [a: 1]", "2001-12-14t21:59:43.10-05:00", "~", "!!str", "!!java.io.File /etc/passwd",
                    "!!javax.script.ScriptEngineManager [!!java.net.URLClassLoader [[!!java.net.URL [\"http://x\"]]]]",
                    "!custom x") + "\n";
            case 9: return "rules:\n  - class: " + "a.".repeat(pick(r, 10_000, 200_000)) + "B\n    method: run\n"
                    + "    counter: calls\n";
            case 10: return "rules:\n  - {class: a.B, method: run, counter: c, labels: {a: this" + ".x".repeat(50_000)
                    + "}}\n";
            case 11: return "auth_user: u\nauth_password_hash: pbkdf2:1:salt:" + "ab".repeat(200_000) + "\n";
            case 12: return "host: '" + "h".repeat(pick(r, 1_000, 500_000)) + "'\n";
            case 13: return "port: 1\nport: 2\n";
            case 14: return "---\nport: 1\n---\nport: 2\n";
            case 15: return "\uFEFFport: 0\n";
            case 16: return "<<: {port: 0}\nbase: &b {port: 1}\n";
            case 17: return "? [a, b]\n: c\n";
            case 18: return "%YAML 1.1\n%TAG ! tag:x,2000:\n---\nport: !x 0\n";
            default: return "port: \"" + "\\u0000\\n\\r\\u2028".repeat(10) + "\"\n";
        }
    }

    /** Anchors a (20,000 values), b (six a) and c (six b), on keys that the rules parser reads no further. */
    private static String bomb(String indent) {
        return indent + "id: &a [" + "xxxxxxxxxx, ".repeat(20_000) + "x]\n" + indent + "value: &b [" + aliases("a", 6)
                + "]\n" + indent + "name: &c [" + aliases("b", 6) + "]\n";
    }

    private static String aliases(String name, int count) {
        StringBuilder aliases = new StringBuilder();
        for (int i = 0; i < count; i++) {
            aliases.append(i == 0 ? "" : ", ").append('*').append(name);
        }
        return aliases.toString();
    }

    @SafeVarargs
    static <T> T pick(Random r, T... choices) {
        return choices[r.nextInt(choices.length)];
    }
}
