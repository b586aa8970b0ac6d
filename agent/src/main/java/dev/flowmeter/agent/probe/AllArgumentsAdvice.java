package dev.flowmeter.agent.probe;

import dev.flowmeter.agent.bootstrap.Probes;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * {@link ProbeAdvice} for the rare rule that reads two or more arguments: they are passed as one
 * array, made once on entry, which costs an allocation per call that single-argument rules do not pay.
 */
final class AllArgumentsAdvice {

    private AllArgumentsAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static long enter(@ProbeId int probe, @Advice.This(optional = true) Object self,
            @Advice.AllArguments(typing = Assigner.Typing.DYNAMIC) Object[] arguments,
            @Advice.Local("arguments") Object[] kept) {
        kept = arguments;
        return Probes.enter(probe, self, arguments);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@ProbeId int probe, @Advice.Enter long entered, @Advice.This(optional = true) Object self,
            @Advice.Local("arguments") Object[] arguments,
            @ProbeReturn Object returned, @Advice.Thrown Throwable thrown) {
        Probes.exit(probe, entered, self, arguments, returned, thrown);
    }
}
