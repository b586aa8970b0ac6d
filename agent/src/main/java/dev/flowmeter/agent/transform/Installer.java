package dev.flowmeter.agent.transform;

import dev.flowmeter.agent.bootstrap.Probe;
import dev.flowmeter.agent.probe.ProbeMaker;
import dev.flowmeter.agent.probe.RuleState;
import dev.flowmeter.agent.report.Report;
import dev.flowmeter.agent.rules.RuleSet;
import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Prepares the rules, then installs the transformer that applies them: two steps, so that the agent
 * can prepare the rules while its server starts, and stay inactive, having changed no class, if the
 * server cannot start.
 */
public final class Installer {

    private final ProbeMaker probes;
    private final String weaveCache;
    private final List<InstrumentationState> states = new ArrayList<>();
    private final List<RuleIndex.Entry> builtIn = new ArrayList<>();
    private InstrumentationState userRules;
    private final List<RuleIndex.Entry> userEntries = new ArrayList<>();
    private List<Map<String, Object>> userSources;
    /** What to tell the user once the instrumentations are installed. */
    private final List<String> messages = new ArrayList<>();

    /** @param weaveCache the weave_cache setting: on, off, or a directory */
    public Installer(ProbeMaker probes, String weaveCache) {
        this.probes = probes;
        this.weaveCache = weaveCache;
    }

    /** Prepares the rules of an enabled built-in instrumentation; changes no class yet. */
    public void add(RuleSet instrumentation) {
        InstrumentationState state = new InstrumentationState(instrumentation, InstrumentationState.Status.ENABLED, null);
        states.add(state);
        instrumentation.problems().forEach(problem -> messages.add(problem + "; the other rules apply."));
        LibraryCheck whole = instrumentation.whole() ? new LibraryCheck(instrumentation.rules(), missing -> {
            state.skip(missing);
            Report.line("instrumentation " + instrumentation.name() + " skipped: " + missing
                    + "; it was tested with " + instrumentation.testedWith());
        }) : null;
        for (RuleState rule : state.rules()) {
            builtIn.add(entry(rule, whole != null ? whole : ownCheck(rule), !instrumentation.whole()));
        }
    }

    /**
     * A rule of the user's for a reload, with its probe made already: one that cannot be made stops
     * the reload before anything changes.
     */
    RuleIndex.Entry reloaded(RuleState rule, Probe probe) {
        RuleIndex.Entry entry = new RuleIndex.Entry(rule, ownCheck(rule), () -> probe);
        entry.probeId();
        return entry;
    }

    /**
     * Prepares the user's rules, which a reload may replace; {@code sources} is the YAML each was
     * compiled from, in order, by which a reload knows the rules it leaves unchanged.
     */
    public void addUserRules(RuleSet instrumentation, List<Map<String, Object>> sources) {
        int before = builtIn.size();
        add(instrumentation);
        userRules = states.get(states.size() - 1);
        userEntries.addAll(builtIn.subList(before, builtIn.size()));
        builtIn.subList(before, builtIn.size()).clear();
        // a rule left out for a problem shifts the others: then no rule is known by its YAML
        userSources = instrumentation.problems().isEmpty() ? sources : null;
    }

    /**
     * Loads the classes that reading class files takes and opens the application's jars (see
     * {@link ClassFiles#loadReaders}) ahead of {@link #install}, which does it otherwise, on whichever
     * thread is free.
     */
    public static void prepareReading() {
        ClassFiles.loadReaders();
    }

    /** A rule of the user's checks its own library: the others apply where it is missing. */
    private static LibraryCheck ownCheck(RuleState rule) {
        return new LibraryCheck(List.of(rule.rule()), missing -> {
            rule.skip(missing);
            Report.line("rule " + rule.rule().name() + " skipped: " + missing + "; the other rules apply.");
        });
    }

    /**
     * A rule ready to apply, whose probe is made when the rule is first woven: a built-in
     * instrumentation's library is mostly absent. The user's rules' probes are made {@code now}, so
     * that a mistake in them shows at start.
     */
    private RuleIndex.Entry entry(RuleState state, LibraryCheck check, boolean now) {
        RuleIndex.Entry entry = new RuleIndex.Entry(state, check, () -> probe(state));
        if (now) {
            entry.probeId();
        }
        return entry;
    }

    /**
     * A rule's probe, which registers the rule's metric families where they are new.
     *
     * @throws RuntimeException where it cannot be made: a metric's name taken by another family, say
     */
    Probe probe(RuleState state) {
        return probes.make(state);
    }

    /**
     * Installs the transformer, which instruments classes as they load and those already loaded, and
     * returns what it installed, whose instrumentations' states fill in as classes load.
     */
    public Installation install(Instrumentation jvm) {
        ClassFiles.loadReaders();
        RuleIndex index = new RuleIndex();
        userEntries.forEach(index::add); // in the order of their ids: the user's rules were prepared first
        builtIn.forEach(index::add);
        ClassFilter filter = new ClassFilter(jvm, index, WeaveCache.open(weaveCache, messages));
        messages.forEach(Report::line);
        filter.prepare();
        jvm.addTransformer(filter, true);
        filter.retransformLoaded();
        return new Installation(jvm, this, filter, states, builtIn, userRules, userEntries, userSources);
    }
}
