package dev.flowmeter.agent.rules.expr;

import dev.flowmeter.agent.metrics.LabelValues;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A path from an instrumented call to a value: a root ({@code this}, {@code argN},
 * {@code return}, {@code thrown}) followed by {@code .name} or {@code .name()} steps; or a literal
 * in single quotes, such as {@code 'job'}, for a value the call does not carry. A step
 * {@code .name} tries the method {@code name()}, then the getters {@code getName()} and
 * {@code isName()}, then a field. Each step is resolved once per receiver class into a
 * method handle, cached in a {@link ClassValue} (which keeps no class loader alive); evaluation
 * uses no reflection.
 */
public final class Expression implements LabelSource {

    private static final Pattern ROOT = Pattern.compile("this|return|thrown|arg(\\d)");
    private static final Pattern STEP = Pattern.compile("[A-Za-z_$][A-Za-z0-9_$]*(\\(\\))?");
    private static final MethodType GETTER = MethodType.methodType(Object.class, Object.class);
    private static final MethodType LABEL = MethodType.methodType(String.class, Object.class);
    private static final MethodHandle OBJECT_LABEL;
    private static final MethodHandle INT_LABEL;
    private static final MethodHandle TO_NUMBER;

    static {
        // LabelValues is initialised before handles to its methods are made, so that they carry no
        // class-initialisation barrier: the first calls through a barrier wait for the class's
        // initialisation in the JVM, which pins a virtual thread (Temurin 25's JFR showed five such
        // pinned parks under Expression$Step.label in one run of engines/virtual-threads).
        LabelValues.of(0);
        try {
            MethodHandles.Lookup lookup = MethodHandles.publicLookup();
            OBJECT_LABEL = lookup.findStatic(LabelValues.class, "of", MethodType.methodType(String.class, Object.class));
            INT_LABEL = lookup.findStatic(LabelValues.class, "of", MethodType.methodType(String.class, int.class));
            TO_NUMBER = MethodHandles.lookup().findStatic(Expression.class, "toNumber",
                    MethodType.methodType(double.class, Object.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
        warm();
    }

    /**
     * Evaluates a step of each kind once, on the thread that parses the rules at start-up, so that
     * the classes and method-handle forms a label's first evaluation needs are not loaded by an
     * application thread: a virtual thread waiting while another loads them is pinned.
     */
    private static void warm() {
        Expression text = parse("this.name()");
        Expression number = parse("this.ordinal()");
        text.value(Root.THIS, null, null, null);
        number.value(Root.THIS, null, null, null);
        text.evaluate(Root.THIS, null, null, null);
        number.number(Root.THIS, null, null, null);
    }

    private enum Root { THIS, ARGUMENT, RETURN, THROWN, LITERAL }

    private final String text;
    private final Root root;
    private final int argumentIndex;
    private final Step[] steps;
    private final String literal;

    private Expression(String text, Root root, int argumentIndex, Step[] steps, String literal) {
        this.text = text;
        this.root = root;
        this.argumentIndex = argumentIndex;
        this.steps = steps;
        this.literal = literal;
    }

    public static Expression parse(String text) {
        String trimmed = text.trim();
        if (trimmed.length() >= 2 && trimmed.startsWith("'") && trimmed.endsWith("'")) {
            return new Expression(text, Root.LITERAL, NO_ARGUMENT, new Step[0],
                    LabelValues.of(trimmed.substring(1, trimmed.length() - 1)));
        }
        String[] parts = text.trim().split("\\.", -1);
        Matcher rootMatch = ROOT.matcher(parts[0]);
        if (!rootMatch.matches()) {
            throw new ExpressionException("expression '" + text
                    + "' must start with this, return, thrown or arg0..arg9, or be a literal in single quotes");
        }
        Root root;
        int argumentIndex = NO_ARGUMENT;
        if (rootMatch.group(1) != null) {
            root = Root.ARGUMENT;
            argumentIndex = Integer.parseInt(rootMatch.group(1));
        } else {
            root = Root.valueOf(parts[0].toUpperCase(Locale.ROOT));
        }
        List<Step> steps = new ArrayList<>();
        for (int i = 1; i < parts.length; i++) {
            Matcher step = STEP.matcher(parts[i]);
            if (!step.matches()) {
                throw new ExpressionException("expression '" + text + "' has a bad step '" + parts[i]
                        + "'; write .name or .name()");
            }
            steps.add(new Step(text, parts[i].replace("()", ""), step.group(1) != null));
        }
        return new Expression(text, root, argumentIndex, steps.toArray(new Step[0]), null);
    }

    @Override
    public int argumentIndex() {
        return argumentIndex;
    }

    /** Whether this expression starts at the call's return value. */
    public boolean readsReturn() {
        return root == Root.RETURN;
    }

    @Override
    public boolean readsOutcome() {
        return root == Root.RETURN || root == Root.THROWN;
    }

    /**
     * The label text. The last step yields it directly, so that a method returning an {@code int}
     * (an HTTP status code) is not boxed on the way: {@code Integer.valueOf(200)} allocates.
     */
    @Override
    public String value(Object self, Object argument, Object returned, Throwable thrown) {
        if (root == Root.LITERAL) {
            return literal;
        }
        Object value = root(self, argument, returned, thrown);
        int last = steps.length - 1;
        for (int i = 0; i < last; i++) {
            if (value == null) {
                return "";
            }
            value = steps[i].apply(value);
        }
        if (value == null) {
            return "";
        }
        return last < 0 ? LabelValues.of(value) : steps[last].label(value);
    }

    @Override
    public Object evaluate(Object self, Object argument, Object returned, Throwable thrown) {
        if (root == Root.LITERAL) {
            return literal;
        }
        Object value = root(self, argument, returned, thrown);
        for (Step step : steps) {
            if (value == null) {
                return null;
            }
            value = step.apply(value);
        }
        return value;
    }

    /**
     * The value as a number. A last step that returns a primitive (a size as a {@code long}) is widened
     * to a double without boxing, so that the call allocates nothing.
     */
    @Override
    public double number(Object self, Object argument, Object returned, Throwable thrown) {
        if (root == Root.LITERAL || steps.length == 0) {
            return LabelSource.super.number(self, argument, returned, thrown);
        }
        Object value = root(self, argument, returned, thrown);
        int last = steps.length - 1;
        for (int i = 0; i < last && value != null; i++) {
            value = steps[i].apply(value);
        }
        double number = value == null ? Double.NaN : steps[last].number(value);
        if (Double.isNaN(number)) {
            throw new ExpressionException("value '" + text + "' is not a number");
        }
        return number;
    }

    /** A boxed number's value; NaN for anything else, which {@link #number} reports. */
    private static double toNumber(Object value) {
        return value instanceof Number ? ((Number) value).doubleValue() : Double.NaN;
    }

    private Object root(Object self, Object argument, Object returned, Throwable thrown) {
        switch (root) {
            case THIS: return self;
            case ARGUMENT: return argument;
            case RETURN: return returned;
            default: return thrown;
        }
    }

    @Override
    public String toString() {
        return text;
    }

    /** A step resolved for one receiver class: its value as an object, and as label text. */
    private static final class Handles {
        final MethodHandle getter;
        final MethodHandle label;
        private final MethodHandle resolved;
        /** Made when first asked for: most steps are labels, never numbers. */
        private volatile MethodHandle number;

        Handles(MethodHandle resolved) {
            this.resolved = resolved;
            getter = resolved.asType(GETTER);
            label = resolved.type().returnType() == int.class
                    ? MethodHandles.filterReturnValue(resolved.asType(MethodType.methodType(int.class, Object.class)), INT_LABEL)
                    : MethodHandles.filterReturnValue(getter, OBJECT_LABEL);
        }

        /** The step as a double: a primitive number widened, anything else through {@link #toNumber}. */
        MethodHandle number() {
            MethodHandle made = number;
            if (made == null) {
                Class<?> type = resolved.type().returnType();
                made = type.isPrimitive() && type != boolean.class
                        ? resolved.asType(MethodType.methodType(double.class, Object.class))
                        : MethodHandles.filterReturnValue(getter, TO_NUMBER);
                number = made;
            }
            return made;
        }
    }

    private static final class Step extends ClassValue<Handles> {
        private final String expression;
        private final String name;
        private final boolean call;

        Step(String expression, String name, boolean call) {
            this.expression = expression;
            this.name = name;
            this.call = call;
        }

        Object apply(Object receiver) {
            try {
                return (Object) get(receiver.getClass()).getter.invokeExact(receiver);
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable checked) {
                throw new IllegalStateException(checked);
            }
        }

        double number(Object receiver) {
            try {
                return (double) get(receiver.getClass()).number().invokeExact(receiver);
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable checked) {
                throw new IllegalStateException(checked);
            }
        }

        String label(Object receiver) {
            try {
                return (String) get(receiver.getClass()).label.invokeExact(receiver);
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable checked) {
                throw new IllegalStateException(checked);
            }
        }

        @Override
        protected Handles computeValue(Class<?> type) {
            return new Handles(resolve(type));
        }

        /** The method or field for {@code type}, not adapted: it returns what the member returns. */
        private MethodHandle resolve(Class<?> type) {
            List<String> candidates = new ArrayList<>();
            candidates.add(name);
            if (!call) {
                String capitalized = Character.toUpperCase(name.charAt(0)) + name.substring(1);
                candidates.add("get" + capitalized);
                candidates.add("is" + capitalized);
            }
            for (String candidate : candidates) {
                MethodHandle handle = method(type, candidate);
                if (handle != null) {
                    return handle;
                }
            }
            MethodHandle field = call ? null : field(type, name);
            if (field != null) {
                return field;
            }
            String message = "expression '" + expression + "': " + type.getName() + " has no "
                    + (call ? "method " + name + "()" : "method, getter or field '" + name + "'");
            return MethodHandles.dropArguments(
                    MethodHandles.throwException(Object.class, ExpressionException.class)
                            .bindTo(new ExpressionException(message)), 0, Object.class);
        }

        /**
         * A no-argument method, looked up where it is accessible: on a public class or interface of
         * the hierarchy; else, for a class or method that is not public (the application's own
         * package-private engine, say), made accessible, which works for classes on the class path.
         */
        private static MethodHandle method(Class<?> type, String name) {
            Method fallback = null;
            for (Class<?> owner : hierarchy(type)) {
                try {
                    Method method = owner.getMethod(name);
                    if (method.getReturnType() == void.class || Modifier.isStatic(method.getModifiers())) {
                        return null;
                    }
                    if (Modifier.isPublic(owner.getModifiers())) {
                        return MethodHandles.publicLookup().unreflect(method);
                    }
                    fallback = fallback == null ? method : fallback;
                } catch (NoSuchMethodException | IllegalAccessException | SecurityException notHere) {
                    // try the next owner
                }
            }
            for (Class<?> owner = type; fallback == null && owner != null; owner = owner.getSuperclass()) {
                try {
                    Method declared = owner.getDeclaredMethod(name);
                    fallback = declared.getReturnType() == void.class || Modifier.isStatic(declared.getModifiers())
                            ? null : declared;
                } catch (NoSuchMethodException | SecurityException notHere) {
                    // try the superclass
                }
            }
            if (fallback != null && fallback.trySetAccessible()) {
                try {
                    return MethodHandles.lookup().unreflect(fallback);
                } catch (IllegalAccessException inaccessible) {
                    return null;
                }
            }
            return null;
        }

        /** A field, by the same rules as methods: public where it can, made accessible where it must. */
        private static MethodHandle field(Class<?> type, String name) {
            for (Class<?> owner = type; owner != null; owner = owner.getSuperclass()) {
                try {
                    Field field = owner.getDeclaredField(name);
                    if (Modifier.isStatic(field.getModifiers())) {
                        return null;
                    }
                    if (Modifier.isPublic(field.getModifiers()) && Modifier.isPublic(owner.getModifiers())) {
                        return MethodHandles.publicLookup().unreflectGetter(field);
                    }
                    return field.trySetAccessible() ? MethodHandles.lookup().unreflectGetter(field) : null;
                } catch (NoSuchFieldException | SecurityException notHere) {
                    // try the superclass
                } catch (IllegalAccessException inaccessible) {
                    return null;
                }
            }
            return null;
        }

        /** The class, its superclasses and all their interfaces, nearest first. */
        private static List<Class<?>> hierarchy(Class<?> type) {
            List<Class<?>> hierarchy = new ArrayList<>();
            for (Class<?> c = type; c != null; c = c.getSuperclass()) {
                hierarchy.add(c);
            }
            for (int i = 0; i < hierarchy.size(); i++) {
                for (Class<?> implemented : hierarchy.get(i).getInterfaces()) {
                    if (!hierarchy.contains(implemented)) {
                        hierarchy.add(implemented);
                    }
                }
            }
            return hierarchy;
        }
    }
}
