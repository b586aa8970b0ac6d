package dev.flowmeter.agent.probe;

import java.util.Collections;
import java.util.List;

/** A named set of rules for one library, switched off together with {@code disable=NAME}. */
public final class Instrumentation {

    private final String name;
    private final String testedWith;
    private final List<Rule> rules;

    public Instrumentation(String name, String testedWith, List<Rule> rules) {
        this.name = name;
        this.testedWith = testedWith;
        this.rules = Collections.unmodifiableList(rules);
    }

    public String name() {
        return name;
    }

    /** The library versions the rules were tested with, for the message when they do not apply. */
    public String testedWith() {
        return testedWith;
    }

    public List<Rule> rules() {
        return rules;
    }
}
