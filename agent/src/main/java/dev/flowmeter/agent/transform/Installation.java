package dev.flowmeter.agent.transform;

import dev.flowmeter.agent.bootstrap.Probe;
import dev.flowmeter.agent.bootstrap.Probes;
import dev.flowmeter.agent.probe.RuleState;
import dev.flowmeter.agent.rules.Rule;
import dev.flowmeter.agent.rules.RuleSet;
import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * What the agent installed in a JVM: its transformer and the rules in force. The one owner of what
 * the agent changed, so that the user's rules can be replaced while the application runs
 * ({@link #reload}) and everything taken out again ({@link #remove}).
 *
 * <p>A rule's advice calls its probe by id. A rule that a reload leaves unchanged keeps its id, so
 * that the classes it wove stay as they are; a rule added or changed gets a new id, and the classes
 * whose rules differ are retransformed. A method already running when its class is retransformed
 * ends in the code it started in, with the ids of the rules it started with: the probes of rules
 * replaced or removed stay set until the agent is removed, so that such a call is counted once, by
 * the version of the rule it entered.
 */
public final class Installation {

    /** What a reload changed, by rule name. */
    public static final class Changes {
        public final List<String> added = new ArrayList<>();
        public final List<String> changed = new ArrayList<>();
        public final List<String> removed = new ArrayList<>();
        public final List<String> unchanged = new ArrayList<>();
        /** Classes retransformed to apply it. */
        public int retransformed;
    }

    private final Instrumentation jvm;
    private final Installer installer;
    private final ClassFilter filter;
    private final List<InstrumentationState> states;
    private final List<RuleIndex.Entry> builtIn;
    /** The user's rules in force, null where there are none; with their entries and the YAML of each where known. */
    private InstrumentationState userRules;
    private List<RuleIndex.Entry> userEntries;
    private List<Map<String, Object>> userSources;
    /** The ids of rules replaced or removed, whose probes go with the agent. */
    private final List<Integer> retired = new ArrayList<>();
    private boolean removed;

    Installation(Instrumentation jvm, Installer installer, ClassFilter filter, List<InstrumentationState> states,
            List<RuleIndex.Entry> builtIn, InstrumentationState userRules, List<RuleIndex.Entry> userEntries,
            List<Map<String, Object>> userSources) {
        this.jvm = jvm;
        this.installer = installer;
        this.filter = filter;
        this.states = new CopyOnWriteArrayList<>(states);
        this.builtIn = List.copyOf(builtIn);
        this.userRules = userRules;
        this.userEntries = List.copyOf(userEntries);
        this.userSources = userSources;
    }

    /** The state of each instrumentation in force, which fills in as classes load. */
    public List<InstrumentationState> states() {
        return Collections.unmodifiableList(states);
    }

    /** The user's rules in force, or null. */
    public synchronized InstrumentationState userRules() {
        return userRules;
    }

    /**
     * Puts the user's rules {@code rules}, compiled from {@code sources} without a problem, in force:
     * into the classes that load from now on, and into those loaded by retransformation.
     *
     * @throws IllegalArgumentException where a rule's probe cannot be made (its metric's name taken by
     *     a family with other labels, say); then nothing changed
     */
    public synchronized Changes reload(RuleSet rules, List<Map<String, Object>> sources) {
        if (removed) {
            throw new IllegalStateException("the agent was detached");
        }
        Changes changes = new Changes();
        Map<Map<String, Object>, RuleIndex.Entry> bySource = new HashMap<>();
        Map<String, RuleIndex.Entry> byName = new HashMap<>();
        for (int i = 0; i < userEntries.size(); i++) {
            if (userSources != null) {
                bySource.put(userSources.get(i), userEntries.get(i));
            }
            byName.put(userEntries.get(i).state.rule().name(), userEntries.get(i));
        }
        List<RuleState> ruleStates = new ArrayList<>();
        List<RuleIndex.Entry> entries = new ArrayList<>();
        List<RuleIndex.Entry> made = new ArrayList<>();
        for (int i = 0; i < rules.rules().size(); i++) {
            Rule rule = rules.rules().get(i);
            RuleIndex.Entry kept = bySource.remove(sources.get(i));
            RuleIndex.Entry entry = kept;
            if (kept == null) {
                RuleState state = new RuleState(rule);
                Probe probe;
                try {
                    probe = installer.probe(state);
                } catch (RuntimeException invalid) {
                    made.forEach(unused -> Probes.unset(unused.reservedId()));
                    throw new IllegalArgumentException("rule " + rule.name() + ": " + invalid.getMessage());
                }
                entry = installer.reloaded(state, probe);
                made.add(entry);
                (byName.containsKey(rule.name()) ? changes.changed : changes.added).add(rule.name());
            } else {
                changes.unchanged.add(rule.name());
            }
            byName.remove(rule.name());
            entries.add(entry);
            ruleStates.add(entry.state);
        }
        byName.keySet().forEach(changes.removed::add);

        RuleIndex before = filter.index();
        RuleIndex after = new RuleIndex();
        entries.forEach(after::add);
        builtIn.forEach(after::add);
        filter.use(after);
        changes.retransformed = filter.retransform(List.of(before, after),
                type -> !sameRules(before.applicable(type), after.applicable(type)));

        for (RuleIndex.Entry old : userEntries) {
            if (!entries.contains(old)) {
                retired.add(old.reservedId());
            }
        }
        InstrumentationState now = new InstrumentationState(rules, ruleStates);
        if (userRules == null) {
            states.add(0, now);
        } else {
            states.set(states.indexOf(userRules), now);
        }
        userRules = now;
        userEntries = List.copyOf(entries);
        userSources = List.copyOf(sources);
        return changes;
    }

    private static boolean sameRules(List<RuleIndex.Entry> some, List<RuleIndex.Entry> others) {
        return some == null ? others == null : some.equals(others);
    }

    /**
     * Takes the agent out: retransforms every class it changed, giving it back the class file it had
     * before, then removes its transformer; unsets every probe, so that a method still running
     * woven code ends its call recording nothing. Returns the number of classes restored.
     */
    public synchronized int remove() {
        if (removed) {
            return 0;
        }
        removed = true;
        int restored = filter.restore();
        jvm.removeTransformer(filter);
        RuleIndex index = filter.index();
        for (RuleIndex.Entry entry : index.entries()) {
            Probes.unset(entry.reservedId());
        }
        retired.forEach(Probes::unset);
        return restored;
    }
}
