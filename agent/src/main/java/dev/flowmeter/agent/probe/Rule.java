package dev.flowmeter.agent.probe;

import dev.flowmeter.agent.bootstrap.Probe;
import java.util.List;

/**
 * One instrumentation point and its probe: a type (with every subtype), a method of it (every
 * overload, or those with a given parameter count) or its constructors, and the arguments the
 * probe reads. Rules come from YAML, the bundled files of the built-in instrumentations and the
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
    private final ProbeFactory probe;

    private Rule(String name, String typeName, String methodName, List<String> parameterTypes, int parameterCount,
            int argumentIndex, boolean allArguments, boolean readsReturn, ProbeFactory probe) {
        this.name = name;
        this.typeName = typeName;
        this.methodName = methodName;
        this.parameterTypes = parameterTypes;
        this.parameterCount = parameterTypes == null ? parameterCount : parameterTypes.size();
        this.argumentIndex = argumentIndex;
        this.allArguments = allArguments;
        this.readsReturn = readsReturn;
        this.probe = probe;
    }

    /**
     * A rule on a method, its overloads selected by parameter types (null for any) or count;
     * {@code argumentIndex} is the one argument it reads, or {@link LabelSource#NO_ARGUMENT}.
     */
    static Rule method(String name, String typeName, String methodName, List<String> parameterTypes,
            int parameterCount, int argumentIndex, boolean allArguments, boolean readsReturn, ProbeFactory probe) {
        return new Rule(name, typeName, methodName, parameterTypes, parameterCount, argumentIndex, allArguments,
                readsReturn, probe);
    }

    /** A rule on the constructors of a type and its subtypes. */
    static Rule constructors(String name, String typeName, ProbeFactory probe) {
        return new Rule(name, typeName, null, null, ANY_PARAMETERS, LabelSource.NO_ARGUMENT, false, false, probe);
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

    Probe probe(ProbeContext context) {
        return probe.create(context);
    }

    @Override
    public String toString() {
        return name + " (" + typeName + (onConstructors() ? " constructors" : "#" + methodName) + ")";
    }
}
