package dev.flowmeter.agent.transform;

import dev.flowmeter.agent.rules.Rule;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.function.Consumer;

/**
 * Decides, once per class loader, whether rules apply there: their library is present (the first
 * rule's type can be found; a rule whose class never loads costs nothing) and every rule's method
 * exists, in its type or a superclass, with the expected parameters. Class files are read, not
 * loaded, so the check has no side effects. What does not apply is reported once, through
 * {@code onSkip}.
 */
final class LibraryCheck {

    private final List<Rule> rules;
    private final Consumer<String> onSkip;
    /** Internal name. */
    private final String firstType;
    /** By class loader, the bootstrap loader (null) among them. */
    private final Map<ClassLoader, Boolean> visible = new WeakHashMap<>();
    private final Map<ClassLoader, Boolean> verdicts = new WeakHashMap<>();
    private boolean reported;

    LibraryCheck(List<Rule> rules, Consumer<String> onSkip) {
        this.rules = rules;
        this.onSkip = onSkip;
        this.firstType = rules.get(0).typeName().replace('.', '/');
    }

    /**
     * Whether the rules' library can be seen from a class loader at all, the question asked for every
     * class loader that loads anything. Where the loader's parent sees it, the answer is yes without
     * a lookup: frameworks make loaders by the hundred (one per generated class, say) whose parent
     * holds the libraries. Otherwise one lookup of the first type's class file.
     */
    synchronized boolean visibleIn(ClassLoader loader) {
        Boolean known = visible.get(loader);
        if (known == null) {
            known = loader != null && visibleIn(loader.getParent()) || ClassFiles.exists(loader, firstType);
            visible.put(loader, known);
        }
        return known;
    }

    synchronized boolean appliesIn(ClassLoader loader) {
        return visibleIn(loader) && verdicts.computeIfAbsent(loader, this::check);
    }

    private boolean check(ClassLoader loader) {
        String missing = null;
        for (int i = 0; i < rules.size() && missing == null; i++) {
            missing = missing(loader, rules.get(i));
        }
        if (missing != null && !reported) {
            reported = true;
            onSkip.accept(missing);
        }
        return missing == null;
    }

    /** Why a rule does not apply in a class loader, or null where its class, and its method in the class or a superclass, are there. */
    private static String missing(ClassLoader loader, Rule rule) {
        String type = rule.typeName().replace('.', '/');
        byte[] classFile = ClassFiles.read(loader, type);
        if (classFile == null) {
            return "class " + rule.typeName() + " is missing";
        }
        if (rule.onConstructors()) {
            return null;
        }
        try {
            while (classFile != null) {
                for (String method : ClassHeader.declaredMethods(classFile)) {
                    int parameters = method.indexOf('(');
                    if (rule.matches(method.substring(0, parameters), method.substring(parameters))) {
                        return null;
                    }
                }
                String superName = ClassHeader.parse(classFile).superName;
                classFile = superName == null ? null : ClassFiles.read(loader, superName);
            }
        } catch (IllegalArgumentException unreadable) {
            // a class file the agent cannot read: the methods found so far are all there are
        }
        return rule.typeName() + " has no method " + rule.methodName()
                + (rule.parameterTypes() != null ? "(" + String.join(", ", rule.parameterTypes()) + ")"
                        : rule.parameterCount() == Rule.ANY_PARAMETERS ? "" : " with " + rule.parameterCount() + " parameters");
    }
}
