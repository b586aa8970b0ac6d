package dev.flowmeter.agent.probe;

import dev.flowmeter.agent.bootstrap.Probes;
import dev.flowmeter.agent.metrics.Metrics;
import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.List;

/**
 * Registers the rules' probes, then installs the transformer that applies them: two steps, so that
 * the agent can prepare the probes while its server starts, and stay inactive, having changed no
 * class, if the server cannot start.
 */
public final class Installer {

    private final List<InstrumentationState> states = new ArrayList<>();
    private final RuleIndex index = new RuleIndex();
    /** What to tell the user once the instrumentations are installed. */
    private final List<String> messages = new ArrayList<>();

    private Installer() {}

    /** Registers the probes of the enabled instrumentations; changes no class yet. */
    public static Installer prepare(Metrics metrics, List<dev.flowmeter.agent.probe.Instrumentation> instrumentations) {
        Installer installer = new Installer();
        for (dev.flowmeter.agent.probe.Instrumentation instrumentation : instrumentations) {
            InstrumentationState state = new InstrumentationState(instrumentation, InstrumentationState.Status.ENABLED, null);
            installer.states.add(state);
            instrumentation.problems().forEach(problem -> installer.messages.add(problem + "; the other rules apply."));
            LibraryCheck whole = instrumentation.whole() ? new LibraryCheck(instrumentation.rules(), missing -> {
                state.skip(missing);
                System.err.println("flowmeter: instrumentation " + instrumentation.name() + " skipped: " + missing
                        + "; it was tested with " + instrumentation.testedWith());
            }) : null;
            for (RuleState rule : state.rules()) {
                LibraryCheck check = whole != null ? whole : new LibraryCheck(List.of(rule.rule()), missing -> {
                    rule.skip(missing);
                    System.err.println("flowmeter: rule " + rule.rule().name() + " skipped: " + missing
                            + "; the other rules apply.");
                });
                installer.prepare(rule, check, metrics);
            }
        }
        return installer;
    }

    private void prepare(RuleState state, LibraryCheck check, Metrics metrics) {
        Rule rule = state.rule();
        try {
            index.add(new RuleIndex.Entry(state, check, Probes.register(rule.probe(new ProbeContext(metrics, state)))));
        } catch (RuntimeException invalid) {
            state.skip(invalid.getMessage());
            messages.add("rule " + rule.name() + " skipped: " + invalid.getMessage() + "; the other rules apply.");
        }
    }

    /**
     * Installs the transformer, which instruments classes as they load and those already loaded, and
     * returns the state of each instrumentation, which fills in as classes load.
     */
    public List<InstrumentationState> install(Instrumentation jvm) {
        messages.forEach(message -> System.err.println("flowmeter: " + message));
        ClassFiles.loadReaders();
        ClassFilter filter = new ClassFilter(jvm, index);
        jvm.addTransformer(filter, true);
        filter.retransformLoaded();
        return states;
    }
}
