package dev.flowmeter.agent.rules;

import dev.flowmeter.agent.rules.expr.LabelSource;
import dev.flowmeter.agent.rules.expr.SharedLabel;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * One instrumentation point and what it records: a type (with every subtype), a method of it
 * (every overload, or those with a given parameter count) or its constructors, the arguments its
 * probe reads, and the {@link ProbeSpec} the probe is made from. Rules come from YAML, the bundled files of the built-in instrumentations and the
 * user's alike, through {@link RuleParser}.
 */
public final class Rule {

    public static final int ANY_PARAMETERS = -1;

    private final String name;
    private final String typeName;
    private final String methodName;
    private final int parameterCount;
    private final List<String> parameterTypes;
    private final int argumentIndex;
    private final boolean allArguments;
    private final boolean readsReturn;
    private final ProbeSpec probe;
    private final List<SharedLabel> sharedLabels;

    private Rule(String name, String typeName, String methodName, List<String> parameterTypes, int parameterCount,
            int argumentIndex, boolean allArguments, boolean readsReturn, ProbeSpec probe, List<SharedLabel> sharedLabels) {
        this.name = name;
        this.typeName = typeName;
        this.methodName = methodName;
        this.parameterTypes = parameterTypes;
        this.parameterCount = parameterTypes == null ? parameterCount : parameterTypes.size();
        this.argumentIndex = argumentIndex;
        this.allArguments = allArguments;
        this.readsReturn = readsReturn;
        this.probe = probe;
        this.sharedLabels = Collections.unmodifiableList(new ArrayList<>(sharedLabels));
    }

    /**
     * A rule on a method, its overloads selected by parameter types (null for any) or count;
     * {@code argumentIndex} is the one argument it reads, or {@link LabelSource#NO_ARGUMENT}.
     */
    public static Rule method(String name, String typeName, String methodName, List<String> parameterTypes,
            int parameterCount, int argumentIndex, boolean allArguments, boolean readsReturn, ProbeSpec probe,
            List<SharedLabel> sharedLabels) {
        return new Rule(name, typeName, methodName, parameterTypes, parameterCount, argumentIndex, allArguments,
                readsReturn, probe, sharedLabels);
    }

    /** A rule on the constructors of a type and its subtypes. */
    public static Rule constructors(String name, String typeName, ProbeSpec probe, List<SharedLabel> sharedLabels) {
        return new Rule(name, typeName, null, null, ANY_PARAMETERS, LabelSource.NO_ARGUMENT, false, false, probe,
                sharedLabels);
    }

    public String name() {
        return name;
    }

    public String typeName() {
        return typeName;
    }

    /** The method's name, or null for a rule on constructors. */
    public String methodName() {
        return methodName;
    }

    public boolean onConstructors() {
        return methodName == null;
    }

    /** The parameter count that selects the overload, or {@link #ANY_PARAMETERS}. */
    public int parameterCount() {
        return parameterCount;
    }

    /** The fully qualified parameter types that select the overload, or null. */
    public List<String> parameterTypes() {
        return parameterTypes;
    }

    /** The one argument the probe reads, or {@link LabelSource#NO_ARGUMENT}. */
    public int argumentIndex() {
        return argumentIndex;
    }

    /** Whether the probe reads several arguments, and gets them all as an array. */
    public boolean allArguments() {
        return allArguments;
    }

    /** Whether the probe reads the return value; when not, its advice passes null instead. */
    public boolean readsReturn() {
        return readsReturn;
    }

    /**
     * Whether a method, by its name and descriptor, is one this rule names: its constructors; or its
     * method by name, every overload or those with a parameter count or types. Parameter types are
     * binary names, so nested types with {@code $}, and arrays as {@link Class#getName} spells them.
     */
    public boolean matches(String name, String descriptor) {
        if (onConstructors()) {
            return name.equals("<init>");
        }
        if (!name.equals(methodName)) {
            return false;
        }
        if (parameterCount == ANY_PARAMETERS) {
            return true;
        }
        List<String> parameters = parameterTypes(descriptor);
        return parameters.size() == parameterCount && (parameterTypes == null || parameterTypes.equals(parameters));
    }

    /** The parameter types of a method descriptor, as {@link Class#getName} spells them. */
    static List<String> parameterTypes(String descriptor) {
        List<String> types = new ArrayList<>();
        int at = 1; // past '('
        while (descriptor.charAt(at) != ')') {
            int start = at;
            while (descriptor.charAt(at) == '[') {
                at++;
            }
            int end = descriptor.charAt(at) == 'L' ? descriptor.indexOf(';', at) + 1 : at + 1;
            String type = descriptor.substring(start, end);
            if (start != at) {
                types.add(type.replace('/', '.')); // an array: [I, [Ljava.lang.String;
            } else if (type.charAt(0) == 'L') {
                types.add(type.substring(1, type.length() - 1).replace('/', '.'));
            } else {
                types.add(PRIMITIVES.get(type.charAt(0)));
            }
            at = end;
        }
        return types;
    }

    private static final Map<Character, String> PRIMITIVES = Map.of('Z', "boolean", 'B', "byte", 'C', "char", 'S', "short",
            'I', "int", 'J', "long", 'F', "float", 'D', "double");

    /** What the rule's probe records, and is made from. */
    public ProbeSpec probe() {
        return probe;
    }

    /** The labels shared by other rules that the rule reads ({@code shared.NAME}), bound when its probe is made. */
    public List<SharedLabel> sharedLabels() {
        return sharedLabels;
    }

    @Override
    public String toString() {
        return name + " (" + typeName + (onConstructors() ? " constructors" : "#" + methodName) + ")";
    }
}
