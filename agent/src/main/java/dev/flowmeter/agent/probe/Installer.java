package dev.flowmeter.agent.probe;

import static net.bytebuddy.matcher.ElementMatchers.hasSuperType;
import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.isSynthetic;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.flowmeter.agent.bootstrap.Probes;
import dev.flowmeter.agent.metrics.Metrics;
import java.lang.instrument.Instrumentation;
import java.util.List;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.utility.JavaModule;

/** Turns rules into ByteBuddy transformations and installs them. */
public final class Installer {

    private Installer() {}

    public static void install(Instrumentation jvm, Metrics metrics, List<dev.flowmeter.agent.probe.Instrumentation> instrumentations) {
        AgentBuilder agent = new AgentBuilder.Default()
                .disableClassFormatChanges()
                .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
                .with(AgentBuilder.InitializationStrategy.NoOp.INSTANCE)
                .with(AgentBuilder.TypeStrategy.Default.DECORATE)
                .with(new ErrorListener())
                .ignore(nameStartsWith("dev.flowmeter.agent.").or(nameStartsWith("net.bytebuddy.")).or(isSynthetic()));
        for (dev.flowmeter.agent.probe.Instrumentation instrumentation : instrumentations) {
            LibraryCheck check = new LibraryCheck(instrumentation);
            for (Rule rule : instrumentation.rules()) {
                int id = Probes.register(rule.probe(metrics));
                agent = agent
                        .type(hasSuperType(named(rule.typeName())), check::appliesIn)
                        .transform(new AgentBuilder.Transformer.ForAdvice(Advice.withCustomMapping()
                                        .bind(ProbeId.class, id)
                                        .bind(ProbeArgument.class, new ArgumentSlot(rule.argumentIndex())))
                                .include(ProbeAdvice.class.getClassLoader())
                                .advice(methods(rule), ProbeAdvice.class.getName()));
            }
        }
        agent.installOn(jvm);
    }

    private static ElementMatcher<MethodDescription> methods(Rule rule) {
        ElementMatcher.Junction<MethodDescription> methods = named(rule.methodName()).and(not(isAbstract()));
        return rule.parameterCount() == Rule.ANY_PARAMETERS ? methods : methods.and(takesArguments(rule.parameterCount()));
    }

    /** A class the agent could not transform stays as it was; say so once per class. */
    private static final class ErrorListener extends AgentBuilder.Listener.Adapter {
        @Override
        public void onError(String typeName, ClassLoader classLoader, JavaModule module, boolean loaded, Throwable error) {
            System.err.println("flowmeter: could not instrument " + typeName + ", which runs uninstrumented: " + error);
        }
    }
}
