package dev.flowmeter.agent.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flowmeter.agent.rules.expr.Condition;
import dev.flowmeter.agent.rules.expr.Expression;
import dev.flowmeter.agent.rules.expr.ExpressionException;
import dev.flowmeter.agent.rules.expr.LabelSource;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Literal expressions, {@code failed_when: true} and a workflow end's {@code when}. */
class RuleFormatTest {

    @Test
    void aQuotedLiteralIsAConstantThatReadsNothing() {
        Expression literal = Expression.parse(" 'job' ");
        assertEquals("job", literal.value("self", "argument", "returned", new IllegalStateException()));
        assertEquals(LabelSource.NO_ARGUMENT, literal.argumentIndex());
        assertFalse(literal.readsOutcome());
        assertEquals("", Expression.parse("''").value(null, null, null, null));
    }

    @Test
    void onlyReturnAndThrownAreKnownWhenTheCallEnds() {
        assertTrue(Expression.parse("return.getId()").readsOutcome());
        assertTrue(Expression.parse("thrown").readsOutcome());
        assertFalse(Expression.parse("this.getId()").readsOutcome());
        assertFalse(Expression.parse("arg0").readsOutcome());
    }

    @Test
    void anUnquotedWordIsStillNoExpression() {
        assertThrows(ExpressionException.class, () -> Expression.parse("job"));
        assertThrows(ExpressionException.class, () -> Expression.parse("'job"));
    }

    @Test
    void failedWhenTrueHoldsForEveryCallAndOtherScalarsAreRejected() throws RuleException {
        new RuleParser().parse(Map.of("class", "a.B", "method", "fail", "role", "task_update",
                "labels", Map.of("task_type", "'t'"), "failed_when", true), 1);
        assertTrue(Condition.ALWAYS.test(null, null, null, null));
        RuleException invalid = assertThrows(RuleException.class, () -> new RuleParser().parse(Map.of("class", "a.B",
                "method", "fail", "role", "task_update", "labels", Map.of("task_type", "'t'"), "failed_when", false), 1));
        assertTrue(invalid.getMessage().contains("or true"), invalid.getMessage());
    }

    @Test
    void aWorkflowEndTakesAConditionOnWhatItReads() throws RuleException {
        Rule rule = new RuleParser().parse(Map.of("class", "a.B", "method", "delete", "parameters", 2,
                "role", "workflow_end", "id", "this.getId()", "labels", Map.of("status", "'FAILURE'"),
                "when", Map.of("value", "arg1", "in", List.of("true"))), 1);
        assertEquals(1, rule.argumentIndex(), "the condition's argument is passed to the probe");
    }

    @Test
    void aListOfConditionsHoldsWhenEachDoesAndALaterOneIsReadOnlyWhenThoseBeforeItHold() throws RuleException {
        Condition all = Condition.all(List.of(new Condition(Expression.parse("arg0.getClass()"), "String"),
                new Condition(Expression.parse("arg0.isEmpty()"), "false")));
        assertTrue(all.test(null, "text", null, null));
        assertFalse(all.test(null, "", null, null));
        // An Integer has no isEmpty(): the first condition fails, so the second is never read.
        assertFalse(all.test(null, 42, null, null));

        Rule rule = new RuleParser().parse(Map.of("class", "a.B", "method", "failed", "parameters", 3,
                "role", "workflow_end", "id", "arg1.getId()", "labels", Map.of("status", "'FAILURE'"),
                "when", List.of(Map.of("value", "arg1.getClass()", "in", List.of("Operation")),
                        Map.of("value", "arg2.isNew()", "in", List.of("true")))), 1);
        assertTrue(rule.allArguments(), "the arguments of every condition in the list are passed to the probe");
        RuleException invalid = assertThrows(RuleException.class, () -> new RuleParser().parse(Map.of("class", "a.B",
                "method", "m", "role", "workflow_end", "id", "arg0", "when", List.of(Map.of("value", "arg0"))), 1));
        assertTrue(invalid.getMessage().contains("a list of those that must all hold"), invalid.getMessage());
    }
}
