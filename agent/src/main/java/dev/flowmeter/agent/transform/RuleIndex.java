package dev.flowmeter.agent.transform;

import dev.flowmeter.agent.bootstrap.Probe;
import dev.flowmeter.agent.bootstrap.Probes;
import dev.flowmeter.agent.probe.RuleState;
import dev.flowmeter.agent.report.Report;
import dev.flowmeter.agent.rules.Rule;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Which rules apply to a class. A rule applies to its type and every subtype, so a class must be
 * checked against its whole hierarchy: the hierarchy is walked once for all rules, from the class
 * file's own header (see {@link ClassHeader}), and what each supertype leads to is remembered per
 * class loader, so that a supertype's class file is read once, not once per subclass.
 *
 * <p>Only a class that declares a method some rule names can be woven, and nearly every class
 * declares none: its hierarchy is not walked at all. Every class declares constructors, though. A
 * rule on constructors reports each object once, from the constructor of the topmost class of its
 * type in the object's line of superclasses: the type itself where it is a class, so that no
 * hierarchy is walked for constructors unless such a rule names an interface.
 */
final class RuleIndex {

    /** A rule ready to apply: its state, where its library is, and the probe its advice calls. */
    static final class Entry {
        static final int SKIPPED = -1;

        final RuleState state;
        final LibraryCheck check;
        private final Supplier<Probe> probe;
        /** Reserved when the rule is prepared, in the order of the rules; its probe is made later. */
        private final int reservedId;
        private boolean made;
        private boolean skipped;

        Entry(RuleState state, LibraryCheck check, Supplier<Probe> probe) {
            this(state, check, probe, Probes.reserve());
        }

        /** A rule bound to an id reserved before, as a rule prepared again is. */
        Entry(RuleState state, LibraryCheck check, Supplier<Probe> probe, int reservedId) {
            this.state = state;
            this.check = check;
            this.probe = probe;
            this.reservedId = reservedId;
        }

        /** The id the rule's advice is bound to, whether or not its probe is made yet. */
        int reservedId() {
            return reservedId;
        }

        /** Whether the rule's probe could not be made, so that it is woven nowhere. */
        synchronized boolean isSkipped() {
            return skipped;
        }

        /**
         * The id of the rule's probe, which is made and registered the first time it is asked for:
         * rules whose classes never load, those of the libraries an application does not have, cost
         * no probe and no metric family. {@link #SKIPPED} where it cannot be made: the rule is then
         * skipped, and says why.
         */
        synchronized int probeId() {
            if (!made) {
                made = true;
                try {
                    Probes.set(reservedId, probe.get());
                } catch (RuntimeException invalid) {
                    skipped = true;
                    state.skip(invalid.getMessage());
                    Report.line("rule " + state.rule().name() + " skipped: " + invalid.getMessage()
                            + "; the other rules apply.");
                }
            }
            return skipped ? SKIPPED : reservedId;
        }
    }

    /**
     * The class of the loaders that define only the accessors the JDK generates for reflection (up to
     * Java 17), one loader each: no rule applies to those, and the hierarchy of each would be walked.
     */
    private static final String REFLECTION_LOADER = "jdk.internal.reflect.DelegatingClassLoader";
    /** By internal type name (with slashes). */
    private final Map<String, List<Entry>> byType = new HashMap<>();
    private final List<Entry> entries = new ArrayList<>();
    private final Set<LibraryCheck> checks = new LinkedHashSet<>();
    private final MethodNames methodNames = new MethodNames();
    private final List<Entry> constructorRules = new ArrayList<>();
    /** By internal name: whether a type that rules on constructors name is an interface; under {@link #interfaceConstructors}' lock. */
    private final Map<String, Boolean> interfaces = new HashMap<>();
    /** By class loader: whether a rule on constructors names an interface that the loader sees. */
    private final Map<ClassLoader, Boolean> interfaceConstructors = new WeakHashMap<>();
    private final Map<ClassLoader, Map<String, Set<String>>> ancestry = new WeakHashMap<>();
    private final Map<String, Set<String>> jdkAncestry = new ConcurrentHashMap<>();
    private final Map<ClassLoader, Boolean> anyVisible = new WeakHashMap<>();

    void add(Entry entry) {
        Rule rule = entry.state.rule();
        String type = rule.typeName().replace('.', '/');
        byType.computeIfAbsent(type, name -> new ArrayList<>()).add(entry);
        entries.add(entry);
        checks.add(entry.check);
        if (rule.onConstructors()) {
            methodNames.addConstructors();
            constructorRules.add(entry);
        } else {
            methodNames.add(rule.methodName());
        }
    }

    List<Entry> entries() {
        return entries;
    }

    /** The rules for a class being loaded, from its class file; null when it is to stay as it is. */
    List<Entry> applicable(String internalName, ClassLoader loader, byte[] classFile) {
        ClassHeader header = ClassHeader.ifDeclaring(classFile, methodNames);
        if (header == null || !anyVisibleIn(loader)) {
            return null; // most class loaders hold none of the instrumented libraries: no hierarchy to walk
        }
        if (header.declared == MethodNames.CONSTRUCTOR && !interfaceConstructors(loader)) {
            return applying(itself(internalName), Set.of(), loader);
        }
        Map<String, Set<String>> loaderMemory = memory(loader);
        Set<String> types = memory(internalName, loaderMemory).get(internalName);
        if (types == null) {
            types = ruleTypesAbove(internalName, header, loader, loaderMemory);
        }
        return applying(types, header.superName == null ? Set.of() : ruleTypesAbove(header.superName, loader, loaderMemory),
                loader);
    }

    /** The rules for a class already loaded; null when there are none. */
    List<Entry> applicable(Class<?> type) {
        ClassLoader loader = type.getClassLoader();
        if (type.isSynthetic() || !anyVisibleIn(loader)) {
            return null;
        }
        Map<String, Set<String>> loaderMemory = memory(loader);
        return applying(ruleTypesAbove(type, loaderMemory),
                type.getSuperclass() == null ? Set.of() : ruleTypesAbove(type.getSuperclass(), loaderMemory), loader);
    }

    /**
     * The rules of the types above a class whose library is in its loader; a rule on constructors only
     * where its type is not above the class's superclass, so that it weaves one class in each line. In
     * the order of the rules, whatever order the types were found in: the weave cache's key lists them,
     * and a class whose types came in another order at the next start (the JDK's HttpURLConnection, under
     * rules on it and on its superclass) would miss it.
     */
    private List<Entry> applying(Set<String> types, Set<String> aboveSuperclass, ClassLoader loader) {
        List<Entry> found = null;
        for (String name : types) {
            for (Entry rule : byType.get(name)) {
                if ((!rule.state.rule().onConstructors() || !aboveSuperclass.contains(name)) && rule.check.appliesIn(loader)) {
                    if (found == null) {
                        found = new ArrayList<>(2);
                    }
                    found.add(rule);
                }
            }
        }
        if (found != null) {
            found.sort(java.util.Comparator.comparingInt(Entry::reservedId));
        }
        return found;
    }

    private boolean anyVisibleIn(ClassLoader loader) {
        synchronized (anyVisible) {
            Boolean visible = anyVisible.get(loader);
            if (visible == null) {
                visible = false;
                if (loader == null || !loader.getClass().getName().equals(REFLECTION_LOADER)) {
                    for (LibraryCheck check : checks) {
                        visible |= check.visibleIn(loader);
                    }
                }
                anyVisible.put(loader, visible);
            }
            return visible;
        }
    }

    /**
     * Whether a rule on constructors names an interface in a loader where its library is: then a class
     * that declares only constructors may be the first of its line to implement it.
     */
    private boolean interfaceConstructors(ClassLoader loader) {
        synchronized (interfaceConstructors) {
            Boolean known = interfaceConstructors.get(loader);
            if (known == null) {
                known = false;
                for (Entry rule : constructorRules) {
                    known |= rule.check.visibleIn(loader) && isInterface(rule.state.rule().typeName().replace('.', '/'), loader);
                }
                interfaceConstructors.put(loader, known);
            }
            return known;
        }
    }

    /**
     * Whether a type is an interface, read once, from the first loader that has its class file: a
     * library whose copies in two loaders disagree on that is not one the agent knows.
     */
    private boolean isInterface(String type, ClassLoader loader) {
        Boolean known = interfaces.get(type);
        if (known == null) {
            ClassHeader header = ClassFiles.header(loader, type);
            if (header == null) {
                return false; // not in this loader: above none of its classes
            }
            known = header.isInterface;
            interfaces.put(type, known);
        }
        return known;
    }

    /** What the types of a class loader lead to, by internal name; the JDK's memory for the bootstrap loader. */
    private Map<String, Set<String>> memory(ClassLoader loader) {
        if (loader == null) {
            return jdkAncestry;
        }
        synchronized (ancestry) {
            return ancestry.computeIfAbsent(loader, l -> new ConcurrentHashMap<>());
        }
    }

    private Map<String, Set<String>> memory(String internalName, Map<String, Set<String>> loaderMemory) {
        // java.* types come from the JDK's loaders whichever loader names them: one memory for all
        return internalName.startsWith(ClassFiles.JDK_ONLY) ? jdkAncestry : loaderMemory;
    }

    /** The rule types among a type, its superclasses and all their interfaces. */
    private Set<String> ruleTypesAbove(String name, ClassHeader header, ClassLoader loader,
            Map<String, Set<String>> loaderMemory) {
        Set<String> found = itself(name);
        if (header.superName != null) {
            found = union(found, ruleTypesAbove(header.superName, loader, loaderMemory));
        }
        for (String implemented : header.interfaces) {
            found = union(found, ruleTypesAbove(implemented, loader, loaderMemory));
        }
        return remember(name, found, memory(name, loaderMemory));
    }

    /** The same for a supertype named in a class file, read through the class loader that will load it. */
    private Set<String> ruleTypesAbove(String name, ClassLoader loader, Map<String, Set<String>> loaderMemory) {
        Set<String> remembered = memory(name, loaderMemory).get(name);
        if (remembered != null) {
            return remembered;
        }
        ClassHeader header = ClassFiles.header(loader, name);
        if (header != null) {
            return ruleTypesAbove(name, header, loader, loaderMemory);
        }
        // missing or unreadable: the rest of the hierarchy still counts
        return remember(name, itself(name), memory(name, loaderMemory));
    }

    /** The same for a loaded class, from the JVM's own view of its hierarchy. */
    private Set<String> ruleTypesAbove(Class<?> type, Map<String, Set<String>> loaderMemory) {
        String name = type.getName().replace('.', '/');
        Map<String, Set<String>> known = memory(name, loaderMemory);
        Set<String> remembered = known.get(name);
        if (remembered != null) {
            return remembered;
        }
        Set<String> found = itself(name);
        if (type.getSuperclass() != null) {
            found = union(found, ruleTypesAbove(type.getSuperclass(), loaderMemory));
        }
        for (Class<?> implemented : type.getInterfaces()) {
            found = union(found, ruleTypesAbove(implemented, loaderMemory));
        }
        return remember(name, found, known);
    }

    /** The type itself, as a set of rule types: empty unless a rule names it. */
    private Set<String> itself(String name) {
        return byType.containsKey(name) ? Set.of(name) : Set.of();
    }

    /** Both sets of rule types: one of them as it is where it holds the other, as nearly always (both empty). */
    private static Set<String> union(Set<String> some, Set<String> more) {
        if (some.containsAll(more)) {
            return some;
        }
        if (more.containsAll(some)) {
            return more;
        }
        Set<String> both = new HashSet<>(some);
        both.addAll(more);
        return Set.copyOf(both);
    }

    private static Set<String> remember(String name, Set<String> found, Map<String, Set<String>> known) {
        known.put(name, found);
        return found;
    }
}
