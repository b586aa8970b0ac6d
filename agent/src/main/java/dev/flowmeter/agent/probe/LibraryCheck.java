package dev.flowmeter.agent.probe;

import java.util.Map;
import java.util.WeakHashMap;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDefinition;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.pool.TypePool;

/**
 * Decides, once per class loader, whether an instrumentation applies there: its library is present
 * (the first rule's type can be found) and every rule's method exists with the expected parameter
 * count. A library version that lacks one is skipped whole, with one line on stderr, rather than
 * half-instrumented. Class files are read, not loaded, so the check has no side effects.
 */
final class LibraryCheck {

    private final Instrumentation instrumentation;
    private final Map<ClassLoader, Boolean> verdicts = new WeakHashMap<>();
    private boolean bootVerdict;
    private boolean bootChecked;
    private boolean reported;

    LibraryCheck(Instrumentation instrumentation) {
        this.instrumentation = instrumentation;
    }

    synchronized boolean appliesIn(ClassLoader loader) {
        if (loader == null) {
            if (!bootChecked) {
                bootVerdict = check(ClassFileLocator.ForClassLoader.ofBootLoader());
                bootChecked = true;
            }
            return bootVerdict;
        }
        return verdicts.computeIfAbsent(loader, l -> check(ClassFileLocator.ForClassLoader.of(l)));
    }

    private boolean check(ClassFileLocator locator) {
        TypePool pool = TypePool.Default.of(locator);
        if (!pool.describe(instrumentation.rules().get(0).typeName()).isResolved()) {
            return false;
        }
        for (Rule rule : instrumentation.rules()) {
            String missing = missing(pool, rule);
            if (missing != null) {
                if (!reported) {
                    reported = true;
                    System.err.println("flowmeter: instrumentation " + instrumentation.name() + " skipped: " + missing
                            + "; it was tested with " + instrumentation.testedWith());
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
        for (TypeDefinition type = resolution.resolve(); type != null; type = type.getSuperClass()) {
            if (declares(type.asErasure(), rule)) {
                return null;
            }
        }
        return rule.typeName() + " has no method " + rule.methodName()
                + (rule.parameterCount() == Rule.ANY_PARAMETERS ? "" : " with " + rule.parameterCount() + " parameters");
    }

    private static boolean declares(TypeDescription type, Rule rule) {
        for (MethodDescription method : type.getDeclaredMethods()) {
            if (method.getName().equals(rule.methodName())
                    && (rule.parameterCount() == Rule.ANY_PARAMETERS
                            || method.getParameters().size() == rule.parameterCount())) {
                return true;
            }
        }
        return false;
    }
}
