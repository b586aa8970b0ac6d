package dev.flowmeter.agent.probe;

import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.isBridge;
import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.isSynthetic;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.flowmeter.agent.bootstrap.Probes;
import dev.flowmeter.agent.metrics.Metrics;
import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.List;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.utility.JavaModule;

/** Turns rules into ByteBuddy transformations and installs them. */
public final class Installer {

    private Installer() {}

    /**
     * Installs the enabled instrumentations, and returns the state of each, which fills in as
     * classes load.
     */
    public static List<InstrumentationState> install(Instrumentation jvm, Metrics metrics,
            List<dev.flowmeter.agent.probe.Instrumentation> instrumentations) {
        AgentBuilder agent = new AgentBuilder.Default()
                .disableClassFormatChanges()
                .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
                .with(AgentBuilder.InitializationStrategy.NoOp.INSTANCE)
                .with(AgentBuilder.TypeStrategy.Default.DECORATE)
                .with(new ErrorListener())
                // Classes in named modules, the JDK's own among them, must read the module of Probes.
                .assureReadEdgeTo(jvm, Probes.class)
                .ignore(nameStartsWith("dev.flowmeter.agent.").or(nameStartsWith("net.bytebuddy.")).or(isSynthetic()));
        List<InstrumentationState> states = new ArrayList<>();
        RuleIndex index = new RuleIndex();
        for (dev.flowmeter.agent.probe.Instrumentation instrumentation : instrumentations) {
            InstrumentationState state = new InstrumentationState(instrumentation, InstrumentationState.Status.ENABLED, null);
            states.add(state);
            instrumentation.problems().forEach(problem -> System.err.println("flowmeter: " + problem
                    + "; the other rules apply."));
            LibraryCheck whole = instrumentation.whole() ? new LibraryCheck(instrumentation.rules(), missing -> {
                state.skip(missing);
                System.err.println("flowmeter: instrumentation " + instrumentation.name() + " skipped: " + missing
                        + "; it was tested with " + instrumentation.testedWith());
            }) : null;
            for (RuleState rule : state.rules()) {
                LibraryCheck check = whole != null ? whole : new LibraryCheck(List.of(rule.rule()), missing -> {
                    rule.skip(missing);
                    System.err.println("flowmeter: rule " + rule.rule().name() + " skipped: " + missing
                            + "; the other rules apply.");
                });
                prepare(rule, check, metrics, index);
            }
        }
        agent.type(index).transform(index).installOn(jvm);
        return states;
    }

    private static void prepare(RuleState state, LibraryCheck check, Metrics metrics, RuleIndex index) {
        Rule rule = state.rule();
        int id;
        try {
            id = Probes.register(rule.probe(new ProbeContext(metrics, state)));
        } catch (RuntimeException invalid) {
            state.skip(invalid.getMessage());
            System.err.println("flowmeter: rule " + rule.name() + " skipped: " + invalid.getMessage()
                    + "; the other rules apply.");
            return;
        }
        ElementMatcher<MethodDescription> methods = methods(rule);
        Advice.WithCustomMapping mapping = Advice.withCustomMapping()
                .bind(ProbeId.class, id)
                .bind(ProbeArgument.class, new ArgumentSlot(rule.argumentIndex()))
                .bind(ProbeReturn.class, new ReturnSlot(rule.readsReturn()));
        Class<?> advice = rule.onConstructors() ? ConstructorAdvice.class
                : rule.allArguments() ? AllArgumentsAdvice.class : ProbeAdvice.class;
        AgentBuilder.Transformer forAdvice = new AgentBuilder.Transformer.ForAdvice(mapping)
                .include(advice.getClassLoader())
                .advice(methods, advice.getName());
        index.add(new RuleIndex.Prepared(state, check, methods, forAdvice));
    }

    private static ElementMatcher<MethodDescription> methods(Rule rule) {
        if (rule.onConstructors()) {
            return isConstructor();
        }
        // A bridge method (a generic method's erased twin) forwards to the method it bridges, which is
        // instrumented itself: instrumenting both would record every call twice.
        ElementMatcher.Junction<MethodDescription> methods = named(rule.methodName()).and(not(isAbstract()))
                .and(not(isBridge()));
        if (rule.parameterCount() != Rule.ANY_PARAMETERS) {
            methods = methods.and(takesArguments(rule.parameterCount()));
        }
        if (rule.parameterTypes() != null) {
            for (int i = 0; i < rule.parameterTypes().size(); i++) {
                methods = methods.and(takesArgument(i, named(rule.parameterTypes().get(i))));
            }
        }
        return methods;
    }

    /** A class the agent could not transform stays as it was; say so once per class. */
    private static final class ErrorListener extends AgentBuilder.Listener.Adapter {
        @Override
        public void onError(String typeName, ClassLoader classLoader, JavaModule module, boolean loaded, Throwable error) {
            System.err.println("flowmeter: could not instrument " + typeName + ", which runs uninstrumented: " + error);
        }
    }
}
