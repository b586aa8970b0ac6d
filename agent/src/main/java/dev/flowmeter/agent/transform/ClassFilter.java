package dev.flowmeter.agent.transform;

import dev.flowmeter.agent.bootstrap.Probes;
import dev.flowmeter.agent.report.Report;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.function.Predicate;

/**
 * The agent's one class file transformer. Every class the JVM loads passes through it; it weaves
 * the probe calls into the few that a rule applies to and leaves the rest alone, having read no
 * more than their headers.
 */
final class ClassFilter implements ClassFileTransformer {

    private static final String AGENT_PACKAGE = "dev/flowmeter/agent/";

    private final Instrumentation jvm;
    private volatile RuleIndex index;
    /** Null where woven classes are not kept. */
    private final WeaveCache cache;
    /**
     * Set while this thread is in the filter. Reading a class file can load classes (the JDK's own
     * jrt: URL handler, say), which come back here: those are left alone, or a class would read
     * itself while it loads (a ClassCircularityError that the JDK keeps for good).
     */
    private final ThreadLocal<Boolean> busy = new ThreadLocal<>();
    /**
     * The class files as they came to this filter, of the classes it wove, by class loader (weakly)
     * and name: what {@link #restore} gives them back. Kept here rather than left to the JVM: on Temurin
     * 25, a class retransformed after the transformer's removal still called the agent's probes.
     */
    private final Map<ClassLoader, Map<String, byte[]>> originals = new WeakHashMap<>();
    /** Set by {@link #restore}: from then on the filter only gives the classes it wove their originals back. */
    private volatile boolean restoring;

    ClassFilter(Instrumentation jvm, RuleIndex index, WeaveCache cache) {
        this.jvm = jvm;
        this.index = index;
        this.cache = cache;
    }

    @Override
    public byte[] transform(Module module, ClassLoader loader, String name, Class<?> redefined, ProtectionDomain domain,
            byte[] classFile) {
        if (name == null || name.startsWith(AGENT_PACKAGE) || busy.get() != null) {
            return null;
        }
        if (restoring) {
            return original(loader, name);
        }
        busy.set(Boolean.TRUE);
        try {
            RuleIndex index;
            byte[] woven;
            do { // with the rules in force at the end: a reload may swap them while the class is woven
                index = this.index;
                woven = weave(index, loader, name, redefined, classFile);
            } while (index != this.index);
            if (woven != null) {
                readProbes(module);
                synchronized (originals) {
                    originals.computeIfAbsent(loader, any -> new HashMap<>()).putIfAbsent(name, classFile);
                }
            }
            return woven;
        } catch (Throwable error) {
            Report.limited("weave", "could not instrument " + name.replace('/', '.')
                    + ", which runs uninstrumented: " + error);
            return null;
        } finally {
            busy.remove();
        }
    }

    private byte[] original(ClassLoader loader, String name) {
        synchronized (originals) {
            Map<String, byte[]> byName = originals.get(loader);
            return byName == null ? null : byName.get(name);
        }
    }

    /**
     * Gives every loaded class this filter wove its class file back, as it came to the filter, by
     * retransformation; the filter weaves nothing more. Returns the number of classes restored.
     */
    int restore() {
        restoring = true;
        return retransformEach(jvm.getAllLoadedClasses(),
                type -> original(type.getClassLoader(), type.getName().replace('.', '/')) != null, "restore");
    }

    /** The class woven with the rules of {@code index} that apply to it; null where none does. */
    private byte[] weave(RuleIndex index, ClassLoader loader, String name, Class<?> redefined, byte[] classFile) {
        List<RuleIndex.Entry> rules = redefined != null ? index.applicable(redefined) : index.applicable(name, loader, classFile);
        if (rules == null) {
            return null;
        }
        return cache != null ? cache.weave(loader, name, classFile, rules)
                : Weaver.weave(loader, name, classFile, rules, new ArrayList<>());
    }

    /**
     * Runs the filter once over a class of the JDK's, before it is installed, so that the classes it
     * runs are loaded and linked by then. Linking a class verifies it, which loads the exception types
     * it catches: were the filter's classes first linked while the JVM loads one of those (the first
     * ArrayIndexOutOfBoundsException thrown, say), they would need the very class that is loading, a
     * ClassCircularityError that the JVM keeps for good.
     */
    void prepare() {
        byte[] object = ClassFiles.read(null, "java/lang/Object");
        if (object != null) {
            transform(Object.class.getModule(), null, "java/lang/Object", null, null, object);
        }
    }

    /** A class in a named module, the JDK's own among them, must read the module of {@link Probes} to call it. */
    private void readProbes(Module module) {
        Module probes = Probes.class.getModule();
        if (module != null && !module.canRead(probes)) {
            jvm.redefineModule(module, Set.of(probes), Map.of(), Map.of(), Set.of(), Map.of());
        }
    }

    /** The rules that apply to the classes loading now. */
    RuleIndex index() {
        return index;
    }

    /** Applies other rules to the classes that load from now on. */
    void use(RuleIndex rules) {
        index = rules;
    }

    /**
     * Instruments the classes that were loaded before the agent: those of the JDK, or all of them on
     * attach.
     */
    void retransformLoaded() {
        RuleIndex rules = index;
        retransform(List.of(rules), type -> rules.applicable(type) != null);
    }

    /**
     * Retransforms the loaded classes that {@code changes} says change, among those that the rules of
     * {@code indexes} can apply to; returns how many. A loaded class's supertypes are loaded too, so
     * only the subtypes of the rules' types among the loaded classes can need it, and when the agent
     * starts with the JVM there are nearly never any: the rest are not looked at.
     */
    int retransform(List<RuleIndex> indexes, Predicate<Class<?>> changes) {
        Class<?>[] loaded = jvm.getAllLoadedClasses();
        Set<String> ruleTypes = new HashSet<>();
        for (RuleIndex rules : indexes) {
            for (RuleIndex.Entry rule : rules.entries()) {
                ruleTypes.add(rule.state.rule().typeName());
            }
        }
        List<Class<?>> loadedRuleTypes = new ArrayList<>();
        for (Class<?> type : loaded) {
            if (ruleTypes.contains(type.getName())) {
                loadedRuleTypes.add(type);
            }
        }
        if (loadedRuleTypes.isEmpty()) {
            return 0;
        }
        return retransformEach(loaded, type -> isSubtypeOfAny(type, loadedRuleTypes) && jvm.isModifiableClass(type)
                && !type.getName().startsWith("dev.flowmeter.agent.") && changes.test(type), "retransform");
    }

    /**
     * Retransforms each of {@code classes} that {@code which} takes, one by one, so that a class the
     * JVM refuses leaves the others to go on; returns how many were retransformed.
     */
    private int retransformEach(Class<?>[] classes, Predicate<Class<?>> which, String verb) {
        int retransformed = 0;
        for (Class<?> type : classes) {
            try {
                if (which.test(type)) {
                    jvm.retransformClasses(type);
                    retransformed++;
                }
            } catch (Throwable refused) {
                Report.limited("weave", "could not " + verb + " " + type.getName() + ": " + refused);
            }
        }
        return retransformed;
    }

    private static boolean isSubtypeOfAny(Class<?> type, List<Class<?>> supertypes) {
        for (Class<?> supertype : supertypes) {
            if (supertype.isAssignableFrom(type)) {
                return true;
            }
        }
        return false;
    }
}
