package dev.flowmeter.agent.probe;

import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * Resolves {@link ProbeArgument} to the argument a rule reads, boxed if primitive, or to null. Only
 * that one argument is passed: no argument array is allocated per call.
 */
final class ArgumentSlot implements Advice.OffsetMapping {

    private final int index;

    ArgumentSlot(int index) {
        this.index = index;
    }

    @Override
    public Target resolve(TypeDescription instrumentedType, MethodDescription instrumentedMethod,
            Assigner assigner, Advice.ArgumentHandler argumentHandler, Sort sort) {
        if (index < 0 || index >= instrumentedMethod.getParameters().size()) {
            return new Target.ForDefaultValue.ReadOnly(TypeDescription.ForLoadedType.of(Object.class));
        }
        return new ForArgument.Resolved(TypeDescription.Generic.OfNonGenericType.ForLoadedType.of(Object.class),
                true, Assigner.Typing.DYNAMIC, instrumentedMethod.getParameters().get(index))
                .resolve(instrumentedType, instrumentedMethod, assigner, argumentHandler, sort);
    }
}
