package dev.flowmeter.agent.transform;

import dev.flowmeter.agent.bootstrap.Probes;
import dev.flowmeter.agent.rules.Rule;
import java.lang.annotation.Annotation;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.bytebuddy.asm.Advice.OffsetMapping;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.annotation.AnnotationDescription;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.method.ParameterDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.implementation.bytecode.assign.Assigner;
import net.bytebuddy.implementation.bytecode.constant.IntegerConstant;
import net.bytebuddy.implementation.bytecode.constant.NullConstant;
import net.bytebuddy.pool.TypePool;

/**
 * The advice that {@link Weaver} inlines, and what binds it to one rule. Each piece of advice only
 * hands over to {@link Probes}, which lives in the bootstrap class loader, so that the inlined code
 * links in a class of any loader, and which never throws.
 *
 * <p>Three values differ by rule, and are bound where the advice is inlined, as constants or loads of
 * the method's own variables, through custom offset mappings: the rule's probe id ({@link Id}), the
 * one argument it reads, boxed, or all of them in an array, or none ({@link Argument}), and the
 * return value, boxed, for the rules that read it, else null ({@link Returned}). So one advice class
 * serves every rule, and an instrumented call allocates nothing for a rule that reads no boxed value.
 * Where several rules apply to one method, each is inlined with the advice of its own slot.
 */
final class ProbeAdvice {

    /** The probe id of the rule. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.PARAMETER)
    @interface Id {}

    /** The argument the rule reads, boxed; all of them as an {@code Object[]}; or null. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.PARAMETER)
    @interface Argument {}

    /** The value returned, boxed, where the rule reads it; else null. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.PARAMETER)
    @interface Returned {}

    /** The advice of a rule on a method: entry, and exit on return or throw. */
    static final class OnMethod {
        private OnMethod() {}

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static long enter(@Id int id, @Advice.This(optional = true) Object self, @Argument Object argument,
                @Advice.Local("argument") Object kept) {
            kept = argument; // read once, for entry and exit
            return Probes.enter(id, self, argument);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Id int id, @Advice.Enter long entered, @Advice.This(optional = true) Object self,
                @Advice.Local("argument") Object argument, @Returned Object returned, @Advice.Thrown Throwable thrown) {
            Probes.exit(id, entered, self, argument, returned, thrown);
        }
    }

    /**
     * The advice of a rule on constructors: once the constructor has built its class's part of the
     * object (a constructor cannot catch what it throws before the object exists, nor need it: an
     * object whose constructor threw is not there to report).
     */
    static final class OnConstructor {
        private OnConstructor() {}

        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Id int id, @Advice.This Object self) {
            Probes.constructed(id, self);
        }
    }

    /** What a rule binds in one method's advice. */
    static final class Binding {
        final int probeId;
        final int argumentIndex;
        final boolean allArguments;
        final boolean readsReturn;

        Binding(Rule rule, int probeId) {
            this.probeId = probeId;
            this.argumentIndex = rule.argumentIndex();
            this.allArguments = rule.allArguments();
            this.readsReturn = rule.readsReturn();
        }
    }

    /** The bindings of the class being woven on this thread, by method name and descriptor. */
    private static final ThreadLocal<Map<String, List<Binding>>> WEAVING = new ThreadLocal<>();
    /** By slot: the advice for the first, second, ... rule on one method; made when first needed. */
    private static final List<Advice> METHOD_ADVICE = new ArrayList<>();
    private static final List<Advice> CONSTRUCTOR_ADVICE = new ArrayList<>();

    /**
     * The advice classes are described from their class files, like the classes they are woven into,
     * not by reflection, which would cost the first class woven the JDK's generic signature parser
     * and a dozen dynamic proxies for the annotations and ByteBuddy's reflection dispatchers.
     */
    private static final ClassFileLocator ADVICE_CLASS_FILES = ClassFileLocator.ForClassLoader.of(ProbeAdvice.class.getClassLoader());
    private static final TypePool ADVICE_TYPES = TypePool.Default.of(ADVICE_CLASS_FILES);

    private ProbeAdvice() {}

    static void bind(Map<String, List<Binding>> woven) {
        WEAVING.set(woven);
    }

    static void unbind() {
        WEAVING.remove();
    }

    /** The advice of the rule in a slot, for a constructor or a method. */
    static synchronized Advice of(boolean constructor, int slot) {
        List<Advice> made = constructor ? CONSTRUCTOR_ADVICE : METHOD_ADVICE;
        Class<?> adviceClass = constructor ? OnConstructor.class : OnMethod.class;
        while (made.size() <= slot) {
            int next = made.size();
            made.add(Advice.withCustomMapping()
                    .bind(new Mapping<>(Id.class, next, (binding, type, method, assigner, arguments, sort) ->
                            new OffsetMapping.Target.ForStackManipulation(IntegerConstant.forValue(binding.probeId))))
                    .bind(new Mapping<>(Argument.class, next, ProbeAdvice::argument))
                    .bind(new Mapping<>(Returned.class, next, ProbeAdvice::returned))
                    .to(ADVICE_TYPES.describe(adviceClass.getName()).resolve(), ADVICE_CLASS_FILES));
        }
        return made.get(slot);
    }

    private static OffsetMapping.Target argument(Binding binding, TypeDescription type, MethodDescription method, Assigner assigner,
            Advice.ArgumentHandler arguments, OffsetMapping.Sort sort) {
        OffsetMapping read;
        if (binding.allArguments) {
            read = new OffsetMapping.ForAllArguments(TypeDescription.Generic.OBJECT, true, Assigner.Typing.DYNAMIC, false, false);
        } else if (binding.argumentIndex >= 0 && binding.argumentIndex < method.getParameters().size()) {
            read = new OffsetMapping.ForArgument.Unresolved(TypeDescription.Generic.OBJECT, true, Assigner.Typing.DYNAMIC,
                    binding.argumentIndex);
        } else {
            return new OffsetMapping.Target.ForStackManipulation(NullConstant.INSTANCE);
        }
        return read.resolve(type, method, assigner, arguments, sort);
    }

    private static OffsetMapping.Target returned(Binding binding, TypeDescription type, MethodDescription method, Assigner assigner,
            Advice.ArgumentHandler arguments, OffsetMapping.Sort sort) {
        if (!binding.readsReturn || method.getReturnType().represents(void.class)) {
            return new OffsetMapping.Target.ForStackManipulation(NullConstant.INSTANCE);
        }
        return new OffsetMapping.ForReturnValue(TypeDescription.Generic.OBJECT, true, Assigner.Typing.DYNAMIC)
                .resolve(type, method, assigner, arguments, sort);
    }

    /** How a mapping makes its value from the binding of the method being woven. */
    private interface Resolver {
        OffsetMapping.Target resolve(Binding binding, TypeDescription type, MethodDescription method, Assigner assigner,
                Advice.ArgumentHandler arguments, OffsetMapping.Sort sort);
    }

    /** An annotation of the advice, resolved from the binding of its slot in the method being woven. */
    private static final class Mapping<T extends Annotation> implements OffsetMapping.Factory<T>, OffsetMapping {
        private final Class<T> annotation;
        private final int slot;
        private final Resolver resolver;

        Mapping(Class<T> annotation, int slot, Resolver resolver) {
            this.annotation = annotation;
            this.slot = slot;
            this.resolver = resolver;
        }

        @Override
        public Class<T> getAnnotationType() {
            return annotation;
        }

        @Override
        public OffsetMapping make(ParameterDescription.InDefinedShape target, AnnotationDescription.Loadable<T> annotation,
                AdviceType adviceType) {
            return this;
        }

        @Override
        public Target resolve(TypeDescription instrumentedType, MethodDescription instrumentedMethod, Assigner assigner,
                Advice.ArgumentHandler argumentHandler, Sort sort) {
            Binding binding = WEAVING.get().get(instrumentedMethod.getInternalName() + instrumentedMethod.getDescriptor())
                    .get(slot);
            return resolver.resolve(binding, instrumentedType, instrumentedMethod, assigner, argumentHandler, sort);
        }
    }
}
