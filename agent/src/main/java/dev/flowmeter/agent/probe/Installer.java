package dev.flowmeter.agent.probe;

import dev.flowmeter.agent.bootstrap.Probes;
import dev.flowmeter.agent.metrics.Metrics;
import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.List;

/** Registers the rules' probes and installs the transformer that applies them. */
public final class Installer {

    private Installer() {}

    /**
     * Installs the enabled instrumentations, and returns the state of each, which fills in as
     * classes load.
     */
    public static List<InstrumentationState> install(Instrumentation jvm, Metrics metrics,
            List<dev.flowmeter.agent.probe.Instrumentation> instrumentations) {
        List<InstrumentationState> states = new ArrayList<>();
        RuleIndex index = new RuleIndex();
        for (dev.flowmeter.agent.probe.Instrumentation instrumentation : instrumentations) {
            InstrumentationState state = new InstrumentationState(instrumentation, InstrumentationState.Status.ENABLED, null);
            states.add(state);
            instrumentation.problems().forEach(problem -> System.err.println("flowmeter: " + problem
                    + "; the other rules apply."));
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
                prepare(rule, check, metrics, index);
            }
        }
        ClassFiles.loadReaders();
        ClassFilter filter = new ClassFilter(jvm, index);
        jvm.addTransformer(filter, true);
        filter.retransformLoaded();
        return states;
    }

    private static void prepare(RuleState state, LibraryCheck check, Metrics metrics, RuleIndex index) {
        Rule rule = state.rule();
        try {
            index.add(new RuleIndex.Entry(state, check, Probes.register(rule.probe(new ProbeContext(metrics, state)))));
        } catch (RuntimeException invalid) {
            state.skip(invalid.getMessage());
            System.err.println("flowmeter: rule " + rule.name() + " skipped: " + invalid.getMessage()
                    + "; the other rules apply.");
        }
    }
}
