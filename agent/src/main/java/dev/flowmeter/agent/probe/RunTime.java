package dev.flowmeter.agent.probe;

import dev.flowmeter.agent.rules.expr.SharedLabel;
import java.util.HashMap;
import java.util.Map;

/**
 * The agent's state on the application's threads that rules have in common: the HTTP status scope
 * (an API call counted once, with the status a method deep inside it reports) and the labels rules
 * share on a thread, by name. One per agent, made at start and given to every {@link ProbeMaker}, so
 * that the rules of the bundled files, the user's and a reload's meet in the same scopes.
 */
public final class RunTime {

    private final HttpStatusScope http = new HttpStatusScope();
    private final Map<String, ThreadLabel> shared = new HashMap<>();

    HttpStatusScope http() {
        return http;
    }

    /** The label shared under {@code name}, made where it is first named. */
    synchronized ThreadLabel sharedLabel(String name) {
        return shared.computeIfAbsent(name, n -> new ThreadLabel());
    }

    /** Lets {@code reader} read the label shared under its name. */
    void bind(SharedLabel reader) {
        sharedLabel(reader.name()).bind(reader);
    }
}
