package dev.flowmeter.agent.probe;

import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDefinition;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.pool.TypePool;

/**
 * Decides, once per class loader, whether rules apply there: their library is present (the first
 * rule's type can be found; a rule whose class never loads costs nothing) and every rule's method
 * exists with the expected parameter count. Class files are read, not loaded, so the check has no
 * side effects. What does not apply is reported once, through {@code onSkip}.
 */
final class LibraryCheck {

    private final List<Rule> rules;
    private final Consumer<String> onSkip;
    private final Map<ClassLoader, Boolean> verdicts = new WeakHashMap<>();
    private Boolean bootVerdict;
    private boolean reported;

    LibraryCheck(List<Rule> rules, Consumer<String> onSkip) {
        this.rules = rules;
        this.onSkip = onSkip;
    }

    synchronized boolean appliesIn(ClassLoader loader) {
        if (loader == null) {
            if (bootVerdict == null) {
                bootVerdict = check(ClassFileLocator.ForClassLoader.ofBootLoader());
            }
            return bootVerdict;
        }
        return verdicts.computeIfAbsent(loader, l -> check(ClassFileLocator.ForClassLoader.of(l)));
    }

    private boolean check(ClassFileLocator locator) {
        TypePool pool = TypePool.Default.of(locator);
        if (!pool.describe(rules.get(0).typeName()).isResolved()) {
            return false;
        }
        for (Rule rule : rules) {
            String missing = missing(pool, rule);
            if (missing != null) {
                if (!reported) {
                    reported = true;
                    onSkip.accept(missing);
                }
                return false;
            }
        }
        return true;
    }

    private static String missing(TypePool pool, Rule rule) {
        TypePool.Resolution resolution = pool.describe(rule.typeName());
        if (!resolution.isResolved()) {
            return "class " + rule.typeName() + " is missing";
        }
        if (rule.onConstructors()) {
            return null;
        }
        for (TypeDefinition type = resolution.resolve(); type != null; type = type.getSuperClass()) {
            if (declares(type.asErasure(), rule)) {
                return null;
            }
        }
        return rule.typeName() + " has no method " + rule.methodName()
                + (rule.parameterTypes() != null ? "(" + String.join(", ", rule.parameterTypes()) + ")"
                        : rule.parameterCount() == Rule.ANY_PARAMETERS ? "" : " with " + rule.parameterCount() + " parameters");
    }

    private static boolean declares(TypeDescription type, Rule rule) {
        for (MethodDescription method : type.getDeclaredMethods()) {
            if (method.getName().equals(rule.methodName())
                    && (rule.parameterCount() == Rule.ANY_PARAMETERS
                            || method.getParameters().size() == rule.parameterCount())
                    && (rule.parameterTypes() == null
                            || rule.parameterTypes().equals(method.getParameters().asTypeList().asErasures()
                                    .stream().map(TypeDescription::getName).collect(Collectors.toList())))) {
                return true;
            }
        }
        return false;
    }
}
