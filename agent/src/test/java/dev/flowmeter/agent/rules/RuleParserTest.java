package dev.flowmeter.agent.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flowmeter.agent.config.ConfigException;
import dev.flowmeter.agent.config.ConfigFile;
import dev.flowmeter.agent.rules.expr.LabelSource;
import java.io.StringReader;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RuleParserTest {

    private final RuleParser parser = new RuleParser();

    /** Identifiers as the regular expression of Unicode classes that it replaced would have them. */
    @Test
    void identifiersAreLettersUnderscoresAndDollarsThenNumbersToo() {
        java.util.regex.Pattern regex = java.util.regex.Pattern.compile("[\\p{L}_$][\\p{L}\\p{N}_$]*");
        for (String text : List.of("execute", "_x", "$1", "a1", "Größe", "π", "x²", "xⅫ", "名前", "𝒳y", "𝒳𝟙",
                "", "1a", "²", "a-b", "a b", "a.b", "x\u0301", "-")) {
            assertEquals(regex.matcher(text).matches(), RuleParser.isIdentifier(text), text);
        }
    }

    private static Map<String, Object> yaml(String text) throws ConfigException {
        return ConfigFile.read(new StringReader(text), "test");
    }

    private Rule parse(String text) throws Exception {
        return parser.parse(yaml(text), 1);
    }

    private String error(String text) {
        return assertThrows(RuleException.class, () -> parse(text)).getMessage();
    }

    @Test
    void aRuleReadingOneArgumentGetsItAlone() throws Exception {
        Rule rule = parse("{class: com.example.Billing, method: run, timer: billing_seconds, labels: {region: arg1.name}}");
        assertEquals("Billing#run", rule.name());
        assertEquals(1, rule.argumentIndex());
        assertFalse(rule.allArguments());
        assertEquals(Rule.ANY_PARAMETERS, rule.parameterCount());
    }

    @Test
    void aRuleReadingSeveralArgumentsGetsThemAll() throws Exception {
        Rule rule = parse("{name: end, class: com.example.Engine, method: finish, role: workflow_end, id: arg0,"
                + " labels: {status: arg1.name()}}");
        assertTrue(rule.allArguments());
        assertEquals(LabelSource.NO_ARGUMENT, rule.argumentIndex());
    }

    @Test
    void overloadsAreSelectedByParameterTypes() throws Exception {
        Rule rule = parse("{class: com.example.Client, method: execute, parameters: [com.example.Request, int],"
                + " role: api_request, labels: {method: arg0.method(), uri: arg0.path()}}");
        assertEquals(List.of("com.example.Request", "int"), rule.parameterTypes());
        assertEquals(2, rule.parameterCount());
    }

    @Test
    void aGaugeRuleWatchesConstructors() throws Exception {
        Rule rule = parse("{class: com.example.Engine, gauge: queue_depth, value: this.queue().size(),"
                + " labels: {engine: this.name()}}");
        assertTrue(rule.onConstructors());
        assertEquals("Engine#queue_depth", rule.name());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{class: a.B, method: m, timer: t_seconds, colour: red}|rule B#m has an unknown key 'colour'",
        "{method: m, timer: t_seconds}|needs 'class'",
        "{class: 'a b', method: m, timer: t_seconds}|has 'class: a b'",
        "{class: a.B, timer: t_seconds}|needs 'method'",
        "{class: a.B, method: m}|records nothing",
        "{class: a.B, method: m, role: task_run}|unknown role 'task_run'",
        "{class: a.B, method: m, role: task_execute, timer: t_seconds}|both a role and metrics",
        "{class: a.B, method: m, role: task_execute}|needs label task_type",
        "{class: a.B, method: m, role: task_execute, labels: {task_type: arg0, user: arg1}}|has label 'user'",
        "{class: a.B, method: m, role: workflow_end, labels: {status: arg1}}|needs 'id'",
        "{class: a.B, method: m, timer: batch_time}|ends in _seconds",
        "{class: a.B, method: m, counter: 'calls-total'}|has 'counter: calls-total'",
        "{class: a.B, method: m, counter: calls, labels: {le: arg0}}|has label 'le'",
        "{class: a.B, method: m, counter: calls, labels: {region: self.region}}|must start with this, return, thrown",
        "{class: a.B, method: m, parameters: 1, counter: calls, labels: {region: arg2}}|reads arg2 of a method with 1 parameters",
        "{class: a.B, method: m, parameters: -1, counter: calls}|from 0 to 255",
        "{class: a.B, method: m, counter: calls, share: [region]}|shares 'region'",
        "{class: a.B, method: m, role: task_execute, labels: {task_type: arg0}, failed_when: FAILED}|{value: EXPRESSION, in: [VALUE, ...]}",
        "{class: a.B, gauge: depth, method: m, value: this.size()}|takes no 'method'",
        "{class: a.B, gauge: depth, value: arg0.size()}|read 'this', not arguments",
        "{class: a.B, method: m, role: api_response}|needs 'value'"})
    void aBadRuleIsRejectedWithAMessageNamingItAndTheFix(String rule, String expected) {
        String message = error(rule);
        assertTrue(message.startsWith("rule "), message);
        assertTrue(message.contains(expected), message);
    }

    @Test
    void aFileWithABadRuleKeepsTheGoodOnes() throws Exception {
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> rules = (List<Map<String, Object>>) yaml("rules:\n"
                + "  - {name: good, class: a.B, method: m, counter: calls}\n"
                + "  - {name: bad, class: a.B, method: m, role: nonsense}\n"
                + "  - {name: also_good, class: a.C, method: n, counter: other_calls}\n").get("rules");
        RuleSet instrumentation = parser.ruleSet(RuleSet.USER_RULES, null, false, rules);
        assertEquals(2, instrumentation.rules().size());
        assertEquals(1, instrumentation.problems().size());
        assertTrue(instrumentation.problems().get(0).startsWith("rule bad has an unknown role"));
    }
}
