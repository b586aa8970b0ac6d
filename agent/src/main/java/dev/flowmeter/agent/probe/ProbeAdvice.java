package dev.flowmeter.agent.probe;

import dev.flowmeter.agent.bootstrap.Probes;
import net.bytebuddy.asm.Advice;

/**
 * The one advice every rule uses, inlined into the instrumented method. It references only
 * {@link Probes}, which the bootstrap class loader holds, so it links in classes of any loader. The
 * application's own exceptions pass through untouched: the exit advice only reads them.
 */
final class ProbeAdvice {

    private ProbeAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static long enter(@ProbeId int probe, @Advice.This(optional = true) Object self, @ProbeArgument Object argument) {
        return Probes.enter(probe, self, argument);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@ProbeId int probe, @Advice.Enter long entered, @Advice.This(optional = true) Object self,
            @ProbeArgument Object argument, @ProbeReturn Object returned,
            @Advice.Thrown Throwable thrown) {
        Probes.exit(probe, entered, self, argument, returned, thrown);
    }
}
