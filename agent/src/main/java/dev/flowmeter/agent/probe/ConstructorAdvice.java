package dev.flowmeter.agent.probe;

import dev.flowmeter.agent.bootstrap.Probes;
import net.bytebuddy.asm.Advice;

/**
 * Advice for the constructors of a gauge rule's class and its subclasses. Only the constructor of
 * the object's own class reports it, so that an object built through superclass constructors is
 * seen once.
 */
final class ConstructorAdvice {

    private ConstructorAdvice() {}

    @Advice.OnMethodExit(suppress = Throwable.class)
    static void exit(@ProbeId int probe, @Advice.This Object self, @Advice.Origin Class<?> constructed) {
        if (self.getClass() == constructed) {
            Probes.exit(probe, 0L, self, null, null, null);
        }
    }
}
