package dev.flowmeter.agent.probe;

import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * Resolves {@link ProbeReturn} to the return value, boxed if primitive, for a rule that reads it;
 * to null for the others, which spares them boxing an {@code int} or {@code long} result, an
 * allocation per call.
 */
final class ReturnSlot implements Advice.OffsetMapping {

    private final boolean read;

    ReturnSlot(boolean read) {
        this.read = read;
    }

    @Override
    public Target resolve(TypeDescription instrumentedType, MethodDescription instrumentedMethod,
            Assigner assigner, Advice.ArgumentHandler argumentHandler, Sort sort) {
        if (!read) {
            return new Target.ForDefaultValue.ReadOnly(TypeDescription.ForLoadedType.of(Object.class));
        }
        return new ForReturnValue(TypeDescription.Generic.OfNonGenericType.ForLoadedType.of(Object.class), true,
                Assigner.Typing.DYNAMIC).resolve(instrumentedType, instrumentedMethod, assigner, argumentHandler, sort);
    }
}
