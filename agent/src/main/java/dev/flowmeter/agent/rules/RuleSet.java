package dev.flowmeter.agent.rules;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A named set of rules, switched off together with {@code disable=NAME}. A built-in
 * instrumentation applies whole or not at all, so that a library version it does not know is never
 * half-instrumented; the user's rules apply each on its own.
 */
public final class RuleSet {

    /** The name of the user's own rules, from the configuration file. */
    public static final String USER_RULES = "rules";

    private final String name;
    private final String testedWith;
    private final boolean whole;
    private final List<Rule> rules;
    private final List<String> problems;

    /** @param problems rules that could not be made, one line each, already naming the rule */
    public RuleSet(String name, String testedWith, boolean whole, List<Rule> rules, List<String> problems) {
        this.name = name;
        this.testedWith = testedWith;
        this.whole = whole;
        this.rules = Collections.unmodifiableList(new ArrayList<>(rules));
        this.problems = Collections.unmodifiableList(new ArrayList<>(problems));
    }

    public String name() {
        return name;
    }

    /** The library versions the rules were tested with, for the message when they do not apply; may be null. */
    public String testedWith() {
        return testedWith;
    }

    /** Whether the rules apply all together or not at all. */
    public boolean whole() {
        return whole;
    }

    public List<Rule> rules() {
        return rules;
    }

    public List<String> problems() {
        return problems;
    }
}
