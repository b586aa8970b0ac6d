package dev.flowmeter.agent.probe;

import dev.flowmeter.agent.metrics.Metrics;
import dev.flowmeter.agent.report.Report;
import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.List;

/**
 * Prepares the rules, then installs the transformer that applies them: two steps, so that the agent
 * can prepare the rules while its server starts, and stay inactive, having changed no class, if the
 * server cannot start.
 */
public final class Installer {

    private final Metrics metrics;
    private final String weaveCache;
    private final List<InstrumentationState> states = new ArrayList<>();
    private final RuleIndex index = new RuleIndex();
    /** What to tell the user once the instrumentations are installed. */
    private final List<String> messages = new ArrayList<>();

    /** @param weaveCache the weave_cache setting: on, off, or a directory */
    public Installer(Metrics metrics, String weaveCache) {
        this.metrics = metrics;
        this.weaveCache = weaveCache;
    }

    /** Prepares the rules of an enabled instrumentation; changes no class yet. */
    public void add(dev.flowmeter.agent.probe.Instrumentation instrumentation) {
        InstrumentationState state = new InstrumentationState(instrumentation, InstrumentationState.Status.ENABLED, null);
        states.add(state);
        instrumentation.problems().forEach(problem -> messages.add(problem + "; the other rules apply."));
        LibraryCheck whole = instrumentation.whole() ? new LibraryCheck(instrumentation.rules(), missing -> {
            state.skip(missing);
            Report.line("instrumentation " + instrumentation.name() + " skipped: " + missing
                    + "; it was tested with " + instrumentation.testedWith());
        }) : null;
        for (RuleState rule : state.rules()) {
            LibraryCheck check = whole != null ? whole : new LibraryCheck(List.of(rule.rule()), missing -> {
                rule.skip(missing);
                Report.line("rule " + rule.rule().name() + " skipped: " + missing
                        + "; the other rules apply.");
            });
            prepare(rule, check, !instrumentation.whole());
        }
    }

    /**
     * Loads the classes that reading class files takes and opens the application's jars (see
     * {@link ClassFiles#loadReaders}) ahead of {@link #install}, which does it otherwise, on whichever
     * thread is free.
     */
    public static void prepareReading() {
        ClassFiles.loadReaders();
    }

    /**
     * A rule's probe is made when the rule is first woven: a built-in instrumentation's library is
     * mostly absent. The user's rules' probes are made now, so that a mistake in them shows at start.
     */
    private void prepare(RuleState state, LibraryCheck check, boolean now) {
        RuleIndex.Entry entry = new RuleIndex.Entry(state, check, () -> state.rule().probe(new ProbeContext(metrics, state)));
        if (now) {
            entry.probeId();
        }
        index.add(entry);
    }

    /**
     * Installs the transformer, which instruments classes as they load and those already loaded, and
     * returns the state of each instrumentation, which fills in as classes load.
     */
    public List<InstrumentationState> install(Instrumentation jvm) {
        ClassFiles.loadReaders();
        ClassFilter filter = new ClassFilter(jvm, index, WeaveCache.open(weaveCache, messages));
        messages.forEach(Report::line);
        filter.prepare();
        jvm.addTransformer(filter, true);
        filter.retransformLoaded();
        return states;
    }
}
