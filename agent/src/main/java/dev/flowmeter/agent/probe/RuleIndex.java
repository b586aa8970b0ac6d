package dev.flowmeter.agent.probe;

import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDefinition;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.utility.JavaModule;

/**
 * Matches every loaded class against all rules at once. A rule applies to its type and every
 * subtype, so a class must be checked against its whole hierarchy; walking that hierarchy once for
 * all rules, rather than once per rule (ByteBuddy's {@code hasSuperType}), and remembering what each
 * supertype leads to, is what keeps start-up short with dozens of rules.
 */
final class RuleIndex implements AgentBuilder.RawMatcher, AgentBuilder.Transformer {

    /** A rule ready to apply: its state, where its library is, its methods, and its advice. */
    static final class Prepared {
        final RuleState state;
        final LibraryCheck check;
        final ElementMatcher<MethodDescription> methods;
        final AgentBuilder.Transformer advice;

        Prepared(RuleState state, LibraryCheck check, ElementMatcher<MethodDescription> methods,
                AgentBuilder.Transformer advice) {
            this.state = state;
            this.check = check;
            this.methods = methods;
            this.advice = advice;
        }
    }

    private final Map<String, List<Prepared>> byType = new HashMap<>();
    private final Set<LibraryCheck> checks = new LinkedHashSet<>();
    private final Map<ClassLoader, Map<String, Set<String>>> ancestry = new WeakHashMap<>();
    private final Map<String, Set<String>> bootAncestry = new ConcurrentHashMap<>();
    /** The rules a class matched, from the matcher to the transformer that ByteBuddy calls next. */
    private final ThreadLocal<Object[]> lastMatch = new ThreadLocal<>();

    void add(Prepared rule) {
        byType.computeIfAbsent(rule.state.rule().typeName(), name -> new ArrayList<>()).add(rule);
        checks.add(rule.check);
    }

    @Override
    public boolean matches(TypeDescription type, ClassLoader loader, JavaModule module, Class<?> classBeingRedefined,
            ProtectionDomain protectionDomain) {
        List<Prepared> rules = applicable(type, loader);
        lastMatch.set(rules.isEmpty() ? null : new Object[] {type, rules});
        return !rules.isEmpty();
    }

    @Override
    @SuppressWarnings("unchecked")
    public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder, TypeDescription type, ClassLoader loader,
            JavaModule module, ProtectionDomain protectionDomain) {
        Object[] last = lastMatch.get();
        lastMatch.remove();
        List<Prepared> rules = last != null && last[0] == type ? (List<Prepared>) last[1] : applicable(type, loader);
        for (Prepared rule : rules) {
            for (MethodDescription method : type.getDeclaredMethods().filter(rule.methods)) {
                rule.state.matched(type.getName() + "#" + method.getName() + method.getDescriptor());
            }
            builder = rule.advice.transform(builder, type, loader, module, protectionDomain);
        }
        return builder;
    }

    private List<Prepared> applicable(TypeDescription type, ClassLoader loader) {
        List<Prepared> found = new ArrayList<>(0);
        if (!anyAppliesIn(loader)) {
            return found; // most class loaders hold none of the instrumented libraries: no hierarchy to walk
        }
        for (String name : ruleTypesAbove(type, ancestry(loader))) {
            for (Prepared rule : byType.get(name)) {
                if (rule.check.appliesIn(loader)) {
                    found.add(rule);
                }
            }
        }
        return found;
    }

    private boolean anyAppliesIn(ClassLoader loader) {
        for (LibraryCheck check : checks) {
            if (check.appliesIn(loader)) {
                return true;
            }
        }
        return false;
    }

    private Map<String, Set<String>> ancestry(ClassLoader loader) {
        if (loader == null) {
            return bootAncestry;
        }
        synchronized (ancestry) {
            return ancestry.computeIfAbsent(loader, l -> new ConcurrentHashMap<>());
        }
    }

    /**
     * The rule types among a type, its superclasses and all their interfaces. Remembered by type name
     * for the class loader, so that a supertype's class file is read once, not once per subclass:
     * what a class inherits from is mostly what many classes inherit from.
     */
    private Set<String> ruleTypesAbove(TypeDefinition type, Map<String, Set<String>> known) {
        String name = type.asErasure().getName();
        Set<String> remembered = known.get(name);
        if (remembered != null) {
            return remembered;
        }
        Set<String> found = new HashSet<>();
        if (byType.containsKey(name)) {
            found.add(name);
        }
        try {
            if (type.getSuperClass() != null) {
                found.addAll(ruleTypesAbove(type.getSuperClass(), known));
            }
            for (TypeDefinition implemented : type.getInterfaces()) {
                found.addAll(ruleTypesAbove(implemented, known));
            }
        } catch (RuntimeException unresolvable) {
            // a supertype missing from the class path: the rest of the hierarchy still counts
        }
        Set<String> result = found.isEmpty() ? Set.of() : Set.copyOf(found);
        known.put(name, result);
        return result;
    }
}
