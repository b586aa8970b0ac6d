package dev.flowmeter.agent.probe;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flowmeter.agent.rules.RuleException;
import dev.flowmeter.agent.rules.RuleParser;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The rule keys of timed calls, {@code async} and {@code once_per_instance}, and the set that backs the latter. */
class TimingKeysTest {

    private final RuleParser parser = new RuleParser();

    @Test
    void anAsyncApiRequestReadsItsStatusFromTheResult() throws RuleException {
        assertNotNull(parser.parse(rule("role", "api_request", "async", true, "labels",
                Map.of("method", "arg0.method()", "uri", "arg0.uri()", "status", "return.statusCode()")), 1));
        String problem = problem(rule("role", "api_request", "async", true, "labels",
                Map.of("method", "arg0.method()", "uri", "arg0.uri()")));
        assertTrue(problem.contains("without a status label"), problem);
    }

    @Test
    void anAsyncRuleSharesNoLabels() {
        String problem = problem(rule("timer", "jobs_seconds", "async", true, "labels", Map.of("kind", "arg0"),
                "share", java.util.List.of("kind")));
        assertTrue(problem.contains("is async and shares labels"), problem);
    }

    @Test
    void onlyTimedRulesTakeTheTimingKeys() {
        String counter = problem(rule("counter", "jobs", "once_per_instance", true));
        assertTrue(counter.contains("'once_per_instance', which only a rule that times calls takes"), counter);
        String response = problem(rule("role", "api_response", "value", "return", "async", true));
        assertTrue(response.contains("'async', which only a rule that times calls takes"), response);
        String gauge = problem(Map.of("class", "a.B", "gauge", "pool_size", "value", "this.size()", "async", true));
        assertTrue(gauge.contains("takes no 'async'"), gauge);
    }

    @Test
    void theTimingKeysAreTrueOrFalse() {
        String problem = problem(rule("timer", "jobs_seconds", "once_per_instance", "yes"));
        assertTrue(problem.contains("'once_per_instance: yes'; give true or false"), problem);
    }

    @Test
    void seenInstancesGoByIdentityNotEquality() {
        SeenInstances seen = new SeenInstances();
        String one = new String("same");
        String other = new String("same");
        assertTrue(seen.first(one));
        assertFalse(seen.first(one));
        assertTrue(seen.first(other), "an equal but distinct object is another instance");
        assertFalse(seen.first(other));
    }

    private String problem(Map<String, Object> yaml) {
        return assertThrows(RuleException.class, () -> parser.parse(yaml, 1)).getMessage();
    }

    /** A rule on a.B#call with the given keys and values. */
    private static Map<String, Object> rule(Object... keysAndValues) {
        Map<String, Object> rule = new LinkedHashMap<>(Map.of("class", "a.B", "method", "call"));
        for (int i = 0; i < keysAndValues.length; i += 2) {
            rule.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return rule;
    }
}
