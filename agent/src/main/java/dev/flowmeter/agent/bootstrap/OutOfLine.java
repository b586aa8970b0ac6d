package dev.flowmeter.agent.bootstrap;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a method the JIT compiler must not inline into its callers. The agent's bootstrap injector
 * turns it into the JDK's own {@code jdk.internal.vm.annotation.DontInline}, which HotSpot honours in
 * classes of the bootstrap class loader only.
 *
 * <p>Why: an instrumented method with its probe inlined compiles to more machine code than HotSpot
 * inlines into callers once the method is compiled on its own; a small method that throws then
 * unwinds through the runtime on every call instead of jumping to its caller's handler (measured:
 * 85 or 145 ns per throwing call, by which was compiled first). Called out of line, the probe keeps
 * an instrumented method about as small as the original, at the cost of a call.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface OutOfLine {}
