package dev.flowmeter.agent.rules;

import dev.flowmeter.agent.config.Buckets;
import dev.flowmeter.agent.config.ConfigException;
import dev.flowmeter.agent.metrics.Catalog;
import dev.flowmeter.agent.metrics.MetricFamily;
import dev.flowmeter.agent.metrics.Role;
import dev.flowmeter.agent.rules.expr.Condition;
import dev.flowmeter.agent.rules.expr.Expression;
import dev.flowmeter.agent.rules.expr.ExpressionException;
import dev.flowmeter.agent.rules.expr.LabelSource;
import dev.flowmeter.agent.rules.expr.SharedLabel;
import dev.flowmeter.agent.rules.expr.UriTemplate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Compiles rules written in YAML, the bundled files of the built-in instrumentations and the user's
 * alike, into {@link Rule}s, each with the {@link ProbeSpec} of what it records. It keeps no state:
 * the HTTP status scope and the shared labels that rules have in common belong to the agent's run
 * time, which makes the probes.
 */
public final class RuleParser {

    private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    /** Labels the timers' exposition adds itself. */
    private static final Set<String> EXPOSITION_LABELS = Set.of("le", "quantile");
    /** Labels a rule's own timer and error counter add. */
    private static final Set<String> OUTCOME_LABELS = Set.of(Role.OUTCOME_LABEL, Role.EXCEPTION_LABEL);
    private static final Set<String> KEYS = new LinkedHashSet<>(List.of("name", "class", "method", "parameters",
            "role", "timer", "errors", "counter", "gauge", "histogram", "buckets", "value", "labels", "id", "started_at", "share", "failed_when",
            "when", "async", "once_per_instance"));
    /** Suffixes that a histogram's own series add, which its name cannot end in. */
    private static final List<String> HISTOGRAM_SUFFIXES = List.of("_bucket", "_count", "_sum", "_total", "_created");
    /** Keys that only a rule which times calls takes. */
    private static final List<String> TIMING_KEYS = List.of("async", "once_per_instance");
    /** A workflow end's key for the start time it reads itself, instead of pairing by id. */
    private static final String STARTED_AT = "started_at";
    private static final String WORKFLOW_TYPE = "workflow_type";
    /** The root of expressions that read a label another rule shares on the same thread. */
    private static final String SHARED = "shared.";

    /** Compiles a list of rules; a rule that cannot be compiled is left out and described in the problems. */
    public RuleSet ruleSet(String name, String testedWith, boolean whole, List<Map<String, Object>> rules) {
        List<Rule> compiled = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < rules.size(); i++) {
            try {
                compiled.add(parse(rules.get(i), i + 1));
            } catch (RuleException invalid) {
                problems.add(invalid.getMessage());
            } catch (RuntimeException | StackOverflowError unexpected) {
                // a rule this parser did not foresee is still only that rule's problem
                problems.add(new RuleException("rule " + (i + 1) + " of " + name + " cannot be read: " + unexpected)
                        .getMessage());
            }
        }
        return new RuleSet(name, testedWith, whole, compiled, problems);
    }

    /** Compiles one rule, the {@code position}th of its file (for the name of a rule without one). */
    public Rule parse(Map<String, Object> yaml, int position) throws RuleException {
        String name = yaml.get("name") instanceof String ? (String) yaml.get("name") : defaultName(yaml, position);
        if (!name.equals(ConfigException.oneLine(name)) || name.isBlank()) {
            throw new RuleReader(defaultName(yaml, position), yaml).invalid("has name '" + ConfigException.shown(name)
                    + "'; give a name of one line");
        }
        RuleReader rule = new RuleReader(name, yaml);
        for (String key : yaml.keySet()) {
            if (!KEYS.contains(key)) {
                throw rule.invalid("has an unknown key '" + ConfigException.shown(key) + "'; accepted keys: "
                        + String.join(", ", KEYS));
            }
        }
        String type = rule.className("class", "a fully qualified class or interface name");
        if (yaml.containsKey("gauge")) {
            return gauge(rule, type);
        }
        String method = rule.identifier("method", "a method name");
        List<String> parameterTypes = yaml.get("parameters") instanceof List ? rule.typeNames("parameters") : null;
        int parameters = parameterTypes != null ? parameterTypes.size()
                : yaml.containsKey("parameters") ? rule.count("parameters") : Rule.ANY_PARAMETERS;
        Sources sources = rule.sources();
        if (rule.has(STARTED_AT) && !Role.WORKFLOW_END.equals(yaml.get("role"))) {
            throw rule.invalid("has '" + STARTED_AT + "', which only a workflow_end takes");
        }
        if (rule.has("buckets") && !rule.has("histogram") && !rule.has("timer")) {
            throw rule.invalid("has 'buckets', which only a histogram or a timer of the rule's own takes; give a built-in"
                    + " family's buckets in buckets_per_metric at the top of the file");
        }
        ProbeSpec probe;
        if (yaml.containsKey("histogram")) {
            probe = histogram(rule, sources);
        } else if (yaml.containsKey("role")) {
            if (yaml.containsKey("timer") || yaml.containsKey("errors") || yaml.containsKey("counter")) {
                throw rule.invalid("has both a role and metrics of its own; a role records its standard families");
            }
            probe = role(rule, sources, rule.text("role", null, "one of " + Role.NAMES));
        } else if (yaml.containsKey("timer") || yaml.containsKey("errors") || yaml.containsKey("counter")) {
            probe = custom(rule, sources);
        } else {
            throw rule.invalid("records nothing: give it a histogram, a role (" + String.join(", ", Role.NAMES)
                    + "), a timer, errors, a counter or a gauge");
        }
        if (parameters != Rule.ANY_PARAMETERS && sources.maxArgument() >= parameters) {
            throw rule.invalid("reads arg" + sources.maxArgument() + " of a method with " + parameters + " parameters");
        }
        return Rule.method(name, type, method, parameterTypes, parameters, sources.singleArgument(),
                sources.allArguments(), rule.readsReturn(), probe, sources.sharedLabels());
    }

    private ProbeSpec role(RuleReader rule, Sources sources, String roleName) throws RuleException {
        Map<String, String> labels = rule.labels();
        if (Role.ENGINE_STATES.containsKey(roleName)) {
            rule.untimed();
            rule.onlyLabels(labels, Set.of("engine"));
            LabelSource engine = sources.of(labels.getOrDefault("engine", "this.getClass().getSimpleName()"));
            String state = Role.ENGINE_STATES.get(roleName);
            return new ProbeSpec.EngineState(engine, state);
        }
        if (roleName.equals(Role.WORKFLOW_END)) {
            return workflowEnd(rule, sources, labels);
        }
        if (roleName.equals(Role.API_RESPONSE)) {
            rule.untimed();
            rule.onlyLabels(labels, Set.of());
            LabelSource code = sources.of(rule.expression("value"));
            return new ProbeSpec.ApiResponse(code);
        }
        Role role = Role.named(roleName);
        if (role == null) {
            throw rule.invalid("has an unknown role '" + shown(roleName) + "'; accepted roles: " + String.join(", ", Role.NAMES));
        }
        rule.onlyLabels(labels, new LinkedHashSet<>(role.keyLabels()));
        boolean api = role == Role.API_REQUEST;
        Map<String, LabelSource> named = new LinkedHashMap<>();
        for (String label : role.keyLabels()) {
            if (api && label.equals(Role.OUTCOME_LABEL) && labels.containsKey(label)) {
                named.put(label, orError(sources.of(labels.get(label))));
            } else if (labels.containsKey(label)) {
                named.put(label, sources.of(labels.get(label)));
            } else if (api && label.equals(Role.OUTCOME_LABEL)) {
                named.put(label, null); // the HTTP status the run time's scope reports
            } else {
                throw rule.invalid("needs label " + label + " for role " + roleName);
            }
        }
        if (api) {
            named.put("uri", UriTemplate.of(named.get("uri")));
        }
        ProbeSpec.Labels keyLabels = keyLabels(rule, named);
        if (role.countsOnly()) {
            rule.untimed();
            Condition when = rule.condition("when", sources);
            return new ProbeSpec.Counting(role, keyLabels, when);
        }
        Condition failure = rule.condition("failed_when", sources);
        LabelSource id = role == Role.WORKFLOW_START && rule.has("id") ? sources.of(rule.expression("id")) : null;
        boolean async = rule.async(api && !labels.containsKey(Role.OUTCOME_LABEL));
        boolean once = rule.flag("once_per_instance");
        return new ProbeSpec.Timed(role, keyLabels, failure, id, api, async, once);
    }

    /**
     * A workflow end, paired by {@code id} with its start in this JVM, or measured from the start
     * time it reads itself ({@code started_at}), for engines whose starts happen elsewhere: that
     * end carries its own workflow type, and no start is pending, so workflow_active is not touched.
     */
    private ProbeSpec workflowEnd(RuleReader rule, Sources sources, Map<String, String> labels) throws RuleException {
        rule.untimed();
        LabelSource status = labels.containsKey(Role.OUTCOME_LABEL) ? sources.of(labels.get(Role.OUTCOME_LABEL)) : null;
        Condition when = rule.condition("when", sources);
        if (!rule.has(STARTED_AT)) {
            if (!rule.has("id")) {
                throw rule.invalid("needs 'id', the workflow id that pairs the end with its start, or '" + STARTED_AT
                        + "', the start time in epoch milliseconds that the end reads");
            }
            rule.onlyLabels(labels, Set.of(Role.OUTCOME_LABEL));
            LabelSource id = sources.of(rule.expression("id"));
            return ProbeSpec.WorkflowEnd.paired(id, status, when);
        }
        if (rule.has("id")) {
            throw rule.invalid("has both 'id' and '" + STARTED_AT + "'; give 'id' to pair the end with its start, or '"
                    + STARTED_AT + "' to measure from the start time the end reads");
        }
        rule.onlyLabels(labels, Set.of(WORKFLOW_TYPE, Role.OUTCOME_LABEL));
        if (!labels.containsKey(WORKFLOW_TYPE)) {
            throw rule.invalid("needs label " + WORKFLOW_TYPE + " with '" + STARTED_AT + "': no paired start gives it");
        }
        String startedAt = rule.expression(STARTED_AT);
        if (isShared(startedAt)) {
            throw rule.invalid("has '" + STARTED_AT + ": " + shown(startedAt) + "'; a shared label is text, and "
                    + STARTED_AT + " reads epoch milliseconds from the call");
        }
        LabelSource start = sources.of(startedAt);
        LabelSource type = sources.of(labels.get(WORKFLOW_TYPE));
        return ProbeSpec.WorkflowEnd.since(start, type, status, when);
    }

    private ProbeSpec custom(RuleReader rule, Sources sources) throws RuleException {
        String timer = rule.metricName("timer");
        if (timer != null && !timer.endsWith("_seconds")) {
            throw rule.invalid("has timer '" + timer + "'; a timer measures seconds, so its name ends in _seconds");
        }
        String errors = counterName(rule.metricName("errors"));
        String counter = counterName(rule.metricName("counter"));
        Map<String, String> labels = rule.labels();
        for (String label : labels.keySet()) {
            if (OUTCOME_LABELS.contains(label)) {
                throw rule.invalid("has label '" + label + "', which its timer and errors add themselves");
            }
        }
        Map<String, LabelSource> named = new LinkedHashMap<>();
        for (Map.Entry<String, String> label : labels.entrySet()) {
            named.put(label.getKey(), sources.of(label.getValue()));
        }
        ProbeSpec.Labels keyLabels = keyLabels(rule, named);
        Role role = Role.custom(timer, rule.buckets(), errors, counter, new ArrayList<>(labels.keySet()));
        if (timer == null && errors == null) {
            rule.untimed();
            Condition when = rule.condition("when", sources);
            return new ProbeSpec.Counting(role, keyLabels, when);
        }
        Condition failure = rule.condition("failed_when", sources);
        boolean async = rule.async(false);
        boolean once = rule.flag("once_per_instance");
        return new ProbeSpec.Timed(role, keyLabels, failure, null, false, async, once);
    }

    /**
     * A histogram of a value each call yields, such as a payload's size: a name of the rule's own, with
     * its buckets, or a built-in one ({@link Catalog#TASK_RESULT_SIZE}) with its labels.
     */
    private ProbeSpec histogram(RuleReader rule, Sources sources) throws RuleException {
        rule.untimed();
        for (String key : List.of("role", "timer", "errors", "counter", "id", STARTED_AT, "failed_when")) {
            if (rule.has(key)) {
                throw rule.invalid("has both a histogram and '" + key + "'; a histogram rule records one value, so give '"
                        + key + "' a rule of its own");
            }
        }
        String name = rule.text("histogram", METRIC_NAME, "a metric name of letters, digits and _");
        for (String suffix : HISTOGRAM_SUFFIXES) {
            if (name.endsWith(suffix)) {
                throw rule.invalid("has histogram '" + name + "'; its series add " + String.join(", ",
                        HISTOGRAM_SUFFIXES.subList(0, 3)) + " themselves, so give a name that ends in none of "
                        + HISTOGRAM_SUFFIXES);
            }
        }
        String valueText = rule.expression("value");
        if (isShared(valueText)) {
            throw rule.invalid("has 'value: " + shown(valueText) + "'; a shared label is text, and a histogram's value"
                    + " is a number read from the call");
        }
        LabelSource value = sources.of(valueText);
        Map<String, String> labels = rule.labels();
        MetricFamily builtIn = Catalog.named(name);
        MetricFamily family;
        if (builtIn != null) {
            if (builtIn.type() != MetricFamily.Type.HISTOGRAM) {
                throw rule.invalid("has histogram '" + name + "', which is the built-in " + builtIn.type()
                        + " of that name; give another name");
            }
            if (rule.has("buckets")) {
                throw rule.invalid("gives buckets to the built-in histogram " + name + "; give them in buckets_per_metric"
                        + " at the top of the file");
            }
            if (!labels.keySet().equals(new LinkedHashSet<>(builtIn.labelNames()))) {
                throw rule.invalid("has labels " + labels.keySet() + " for the built-in histogram " + name
                        + ", which has labels " + builtIn.labelNames() + "; give exactly those");
            }
            family = builtIn;
        } else {
            double[] buckets = rule.buckets();
            if (buckets == null) {
                throw rule.invalid("needs 'buckets' for histogram " + name + "; give " + Buckets.ACCEPTED);
            }
            family = new MetricFamily(name, MetricFamily.Type.HISTOGRAM, "Values of " + valueText
                    + " in calls matched by a rule.", buckets, labels.keySet().toArray(new String[0]));
        }
        Map<String, LabelSource> named = new LinkedHashMap<>();
        for (String label : family.labelNames()) {
            named.put(label, sources.of(labels.get(label)));
        }
        ProbeSpec.Labels keyLabels = keyLabels(rule, named);
        Condition when = rule.condition("when", sources);
        return new ProbeSpec.Histogram(family, keyLabels, value, when);
    }

    private Rule gauge(RuleReader rule, String type) throws RuleException {
        for (String key : List.of("method", "parameters", "role", "timer", "errors", "counter", "histogram", "buckets", "id", STARTED_AT,
                "share", "async", "once_per_instance")) {
            if (rule.has(key)) {
                throw rule.invalid("is a gauge, sampled from live instances, and takes no '" + key + "'");
            }
        }
        String name = rule.metricName("gauge");
        Map<String, String> labels = rule.labels();
        Sources sources = rule.sources();
        Expression value = sources.expression(rule.expression("value"));
        List<LabelSource> labelSources = new ArrayList<>();
        for (String expression : labels.values()) {
            labelSources.add(sources.of(expression));
        }
        if (sources.maxArgument() >= 0) {
            throw rule.invalid("is a gauge: its value and labels read 'this', not arguments");
        }
        MetricFamily family = new MetricFamily(name, MetricFamily.Type.GAUGE,
                "Sampled at scrape time from live instances of " + type + ".", labels.keySet().toArray(new String[0]));
        LabelSource[] array = labelSources.toArray(new LabelSource[0]);
        return Rule.constructors(rule.name, type, new ProbeSpec.InstanceGauge(family, value, array), sources.sharedLabels());
    }

    /**
     * The rule's key labels, with those it shares ({@code share}) marked, so that the probe shares
     * them with later rules on the same thread.
     */
    private static ProbeSpec.Labels keyLabels(RuleReader rule, Map<String, LabelSource> labels) throws RuleException {
        List<String> shared = rule.list("share");
        for (String label : shared) {
            // not the HTTP status of the call in progress (null here) either: that one is not shared
            if (labels.get(label) == null) {
                throw rule.invalid("shares '" + shown(label) + "', which is not one of its labels " + labels.keySet());
            }
        }
        return new ProbeSpec.Labels(new ArrayList<>(labels.keySet()), new ArrayList<>(labels.values()), shared);
    }

    /** A status label that reads {@code error} where {@code status} yields nothing, as when the call threw. */
    private static LabelSource orError(LabelSource status) {
        return new LabelSource.Derived(status) {
            @Override
            public String value(Object self, Object argument, Object returned, Throwable thrown) {
                String value = source.value(self, argument, returned, thrown);
                return value.isEmpty() ? ProbeSpec.NO_RESPONSE : value;
            }
        };
    }

    /** Counters are exposed with _total, and named so everywhere, as in max_series_per_metric. */
    private static String counterName(String name) {
        return name == null || name.endsWith("_total") ? name : name + "_total";
    }

    private static boolean isShared(String expression) {
        return expression.trim().startsWith(SHARED);
    }

    private static String defaultName(Map<String, Object> yaml, int position) {
        Object type = yaml.get("class");
        String simple = type instanceof String ? ((String) type).substring(((String) type).lastIndexOf('.') + 1) : "rule";
        Object target = yaml.containsKey("gauge") ? yaml.get("gauge") : yaml.get("method");
        return target == null ? simple + "#" + position : simple + "#" + ConfigException.shown(target);
    }

    /** A fully qualified name: identifiers between dots (split on them, not matched by a repeated group). */
    private static boolean isClassName(String name) {
        if (name.isEmpty() || name.startsWith(".") || name.endsWith(".")) {
            return false;
        }
        for (String segment : name.split("\\.", -1)) {
            if (!isIdentifier(segment)) {
                return false;
            }
        }
        return true;
    }

    /**
     * A letter, {@code _} or {@code $}, then letters, numbers, {@code _} and {@code $}, in Unicode's
     * categories: what a Java identifier may hold, near enough to catch a typo. Not a regular
     * expression, whose Unicode classes cost the agent's start a few ms to set up.
     */
    static boolean isIdentifier(String text) {
        if (text.isEmpty()) {
            return false;
        }
        for (int i = 0; i < text.length(); ) {
            int c = text.codePointAt(i);
            int type = Character.getType(c);
            boolean number = type == Character.DECIMAL_DIGIT_NUMBER || type == Character.LETTER_NUMBER
                    || type == Character.OTHER_NUMBER;
            if (!(Character.isLetter(c) || c == '_' || c == '$' || number && i > 0)) {
                return false;
            }
            i += Character.charCount(c);
        }
        return true;
    }

    private static String shown(Object value) {
        return ConfigException.shown(value);
    }

    /** Reads one rule's keys, with messages that name the rule. */
    private final class RuleReader {
        final String name;
        final Map<String, Object> yaml;
        private Sources sources;

        RuleReader(String name, Map<String, Object> yaml) {
            this.name = name;
            this.yaml = yaml;
        }

        RuleException invalid(String problem) {
            return new RuleException("rule " + name + " " + problem);
        }

        boolean has(String key) {
            return yaml.containsKey(key);
        }

        String text(String key, Pattern pattern, String accepted) throws RuleException {
            Object value = yaml.get(key);
            if (!(value instanceof String) || (pattern != null && !pattern.matcher((String) value).matches())) {
                throw invalid((value == null ? "needs '" + key + "'" : "has '" + key + ": " + shown(value) + "'")
                        + "; give " + accepted);
            }
            return (String) value;
        }

        String identifier(String key, String accepted) throws RuleException {
            return name(key, accepted, false);
        }

        String className(String key, String accepted) throws RuleException {
            return name(key, accepted, true);
        }

        private String name(String key, String accepted, boolean qualified) throws RuleException {
            String name = text(key, null, accepted);
            if (!(qualified ? isClassName(name) : isIdentifier(name))) {
                throw invalid("has '" + key + ": " + shown(name) + "'; give " + accepted);
            }
            return name;
        }

        String expression(String key) throws RuleException {
            return text(key, null, "an expression such as arg0, return or this.getName()");
        }

        boolean flag(String key) throws RuleException {
            Object value = yaml.get(key);
            if (value != null && !(value instanceof Boolean)) {
                throw invalid("has '" + key + ": " + value + "'; give true or false");
            }
            return Boolean.TRUE.equals(value);
        }

        /**
         * Whether the rule times the CompletionStage its method returns. Its labels then read the
         * stage's result on the thread that completes it, so none can be shared with the calling
         * thread, and an HTTP status must come from the result rather than from the calling thread.
         */
        boolean async(boolean statusFromThread) throws RuleException {
            if (!flag("async")) {
                return false;
            }
            if (has("share")) {
                throw invalid("is async and shares labels; its labels are read on the thread that completes the call");
            }
            if (statusFromThread) {
                throw invalid("is an async api_request without a status label; give one that reads the result,"
                        + " such as return.statusCode()");
            }
            return true;
        }

        /** Rejects the keys of timed rules on a rule that times nothing. */
        void untimed() throws RuleException {
            for (String key : TIMING_KEYS) {
                if (has(key)) {
                    throw invalid("has '" + key + "', which only a rule that times calls takes");
                }
            }
        }

        /** The rule's {@code buckets}, or null where it gives none. */
        double[] buckets() throws RuleException {
            if (!has("buckets")) {
                return null;
            }
            try {
                return Buckets.parse(yaml.get("buckets"));
            } catch (IllegalArgumentException invalid) {
                throw invalid("has 'buckets: " + shown(yaml.get("buckets")) + "', which " + invalid.getMessage()
                        + "; give " + Buckets.ACCEPTED);
            }
        }

        String metricName(String key) throws RuleException {
            return has(key) ? text(key, METRIC_NAME, "a metric name of letters, digits and _") : null;
        }

        int count(String key) throws RuleException {
            Object value = yaml.get(key);
            if (!(value instanceof Integer) || (Integer) value < 0 || (Integer) value > 255) {
                throw invalid("has '" + key + ": " + shown(value) + "'; give a number of parameters from 0 to 255,"
                        + " or a list of their types");
            }
            return (Integer) value;
        }

        List<String> typeNames(String key) throws RuleException {
            List<String> names = list(key);
            for (String name : names) {
                if (!isClassName(name)) {
                    throw invalid("has parameter type '" + shown(name) + "'; give fully qualified names such as"
                            + " java.lang.String, or int");
                }
            }
            return names;
        }

        List<String> list(String key) throws RuleException {
            Object value = yaml.get(key);
            List<String> items = new ArrayList<>();
            if (value == null) {
                return items;
            }
            if (!(value instanceof List)) {
                throw invalid("has '" + key + ": " + shown(value) + "'; give a list such as [task_type]");
            }
            for (Object item : (List<?>) value) {
                items.add(scalar(key, item));
            }
            return items;
        }

        /** The labels, by name, with their expressions. */
        Map<String, String> labels() throws RuleException {
            Object value = yaml.get("labels");
            Map<String, String> labels = new LinkedHashMap<>();
            if (value == null) {
                return labels;
            }
            if (!(value instanceof Map)) {
                throw invalid("has 'labels: " + shown(value) + "'; give a map of label names to expressions");
            }
            for (Map.Entry<?, ?> label : ((Map<?, ?>) value).entrySet()) {
                String labelName = shown(label.getKey());
                if (!LABEL_NAME.matcher(labelName).matches() || labelName.startsWith("__")) {
                    throw invalid("has label '" + labelName + "'; a label name is letters, digits and _");
                }
                if (EXPOSITION_LABELS.contains(labelName)) {
                    throw invalid("has label '" + labelName + "', which histograms and summaries use themselves");
                }
                if (!(label.getValue() instanceof String)) {
                    throw invalid("has label '" + labelName + ": " + shown(label.getValue())
                            + "'; give an expression such as arg0 or this.getName()");
                }
                labels.put(labelName, (String) label.getValue());
            }
            return labels;
        }

        /** An item of a list: a single value, never a list or map, which could expand to millions through aliases. */
        String scalar(String key, Object item) throws RuleException {
            if (item instanceof List || item instanceof Map || item instanceof java.util.Set) {
                throw invalid("has '" + key + "' with an item that is not a single value: " + shown(item));
            }
            return String.valueOf(item);
        }

        void onlyLabels(Map<String, String> labels, Set<String> allowed) throws RuleException {
            for (String label : labels.keySet()) {
                if (!allowed.contains(label)) {
                    throw invalid("has label '" + label + "'; its role takes " + (allowed.isEmpty() ? "none" : allowed));
                }
            }
        }

        /**
         * {@code {value: EXPRESSION, in: [V, ...]}}, or a list of those that must all hold (tested in
         * order, each only when those before it hold), or {@code true} for a condition that always
         * holds (a method that reports a failure), or null when absent.
         */
        Condition condition(String key, Sources sources) throws RuleException {
            Object value = yaml.get(key);
            if (value == null) {
                return null;
            }
            if (Boolean.TRUE.equals(value)) {
                return Condition.ALWAYS;
            }
            if (value instanceof List && !((List<?>) value).isEmpty()) {
                List<Condition> all = new ArrayList<>();
                for (Object item : (List<?>) value) {
                    all.add(condition(key, item, value, sources));
                }
                return Condition.all(all);
            }
            return condition(key, value, value, sources);
        }

        private Condition condition(String key, Object value, Object whole, Sources sources) throws RuleException {
            Map<?, ?> map = value instanceof Map ? (Map<?, ?>) value : Map.of();
            if (!(map.get("value") instanceof String) || !(map.get("in") instanceof List) || map.size() != 2) {
                throw invalid("has '" + key + ": " + shown(whole) + "'; give {value: EXPRESSION, in: [VALUE, ...]},"
                        + " a list of those that must all hold, or true");
            }
            List<String> values = new ArrayList<>();
            for (Object item : (List<?>) map.get("in")) {
                values.add(scalar(key, item));
            }
            return new Condition(sources.of((String) map.get("value")), values.toArray(new String[0]));
        }

        /** The label sources of this rule; they see arguments the way the rule's advice passes them. */
        Sources sources() throws RuleException {
            if (sources == null) {
                sources = new Sources(this, argumentsRead());
            }
            return sources;
        }

        private Set<Integer> argumentsRead() throws RuleException {
            Set<Integer> read = new TreeSet<>();
            for (String expression : expressions()) {
                if (!isShared(expression)) {
                    int index = parseExpression(expression).argumentIndex();
                    if (index != LabelSource.NO_ARGUMENT) {
                        read.add(index);
                    }
                }
            }
            return read;
        }

        /**
         * Whether the probe needs the return value: an expression reads it, or the rule is async. Only
         * then is it passed, as boxing a primitive one would allocate on every call.
         */
        boolean readsReturn() throws RuleException {
            if (Boolean.TRUE.equals(yaml.get("async"))) {
                return true;
            }
            for (String expression : expressions()) {
                if (!isShared(expression) && parseExpression(expression).readsReturn()) {
                    return true;
                }
            }
            return false;
        }

        /** Every expression of the rule, from which label sources, conditions and ids are made. */
        private List<String> expressions() throws RuleException {
            List<String> expressions = new ArrayList<>(labels().values());
            for (String key : List.of("id", STARTED_AT, "value")) {
                if (yaml.get(key) instanceof String) {
                    expressions.add((String) yaml.get(key));
                }
            }
            for (String key : List.of("failed_when", "when")) {
                Object value = yaml.get(key);
                for (Object condition : value instanceof List ? (List<?>) value : java.util.Collections.singletonList(value)) {
                    if (condition instanceof Map && ((Map<?, ?>) condition).get("value") instanceof String) {
                        expressions.add((String) ((Map<?, ?>) condition).get("value"));
                    }
                }
            }
            return expressions;
        }

        Expression parseExpression(String text) throws RuleException {
            try {
                return Expression.parse(text);
            } catch (ExpressionException invalid) {
                throw invalid(invalid.getMessage());
            }
        }
    }

    /**
     * Makes label sources for one rule. A rule that reads one argument gets it alone; a rule that
     * reads several gets them all as an array, and its sources pick their own.
     */
    private final class Sources {
        private final RuleReader rule;
        private final Set<Integer> read;
        /** The labels shared by other rules that this rule's sources read, for the run time to bind. */
        private final List<SharedLabel> sharedLabels = new ArrayList<>();

        Sources(RuleReader rule, Set<Integer> read) {
            this.rule = rule;
            this.read = read;
        }

        LabelSource of(String text) throws RuleException {
            if (isShared(text)) {
                String label = text.trim().substring(SHARED.length());
                if (!LABEL_NAME.matcher(label).matches()) {
                    throw rule.invalid("reads '" + text + "'; write shared.LABEL, for a label another rule shares");
                }
                SharedLabel shared = new SharedLabel(label);
                sharedLabels.add(shared);
                return shared;
            }
            Expression expression = expression(text);
            return allArguments() ? element(expression) : expression;
        }

        Expression expression(String text) throws RuleException {
            return rule.parseExpression(text);
        }

        boolean allArguments() {
            return read.size() > 1;
        }

        List<SharedLabel> sharedLabels() {
            return sharedLabels;
        }

        int singleArgument() {
            return read.size() == 1 ? read.iterator().next() : LabelSource.NO_ARGUMENT;
        }

        int maxArgument() {
            return read.isEmpty() ? LabelSource.NO_ARGUMENT : ((TreeSet<Integer>) read).last();
        }

        private LabelSource element(LabelSource source) {
            int index = source.argumentIndex();
            if (index == LabelSource.NO_ARGUMENT) {
                return source;
            }
            // Its argument is element `index` of the array of all arguments the rule is passed.
            return new LabelSource.Derived(source) {
                @Override
                public String value(Object self, Object arguments, Object returned, Throwable thrown) {
                    Object[] all = (Object[]) arguments;
                    return source.value(self, index < all.length ? all[index] : null, returned, thrown);
                }

                @Override
                public Object evaluate(Object self, Object arguments, Object returned, Throwable thrown) {
                    Object[] all = (Object[]) arguments;
                    return source.evaluate(self, index < all.length ? all[index] : null, returned, thrown);
                }

                @Override
                public double number(Object self, Object arguments, Object returned, Throwable thrown) {
                    Object[] all = (Object[]) arguments;
                    return source.number(self, index < all.length ? all[index] : null, returned, thrown);
                }
            };
        }
    }
}
