package dev.flowmeter.agent.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Which methods a rule names, by name and descriptor, as the library check and the weaver ask. */
class RuleMatchTest {

    @Test
    void parameterTypesReadFromDescriptorsAreTheNamesReflectionGives() {
        int methods = 0;
        for (Class<?> type : List.of(String.class, Arrays.class, java.util.concurrent.ConcurrentHashMap.class,
                java.lang.invoke.MethodHandles.class, Thread.class)) {
            for (Method method : type.getDeclaredMethods()) {
                String descriptor = MethodType.methodType(method.getReturnType(), method.getParameterTypes())
                        .toMethodDescriptorString();
                List<String> names = Arrays.stream(method.getParameterTypes()).map(Class::getName).collect(Collectors.toList());
                assertEquals(names, Rule.parameterTypes(descriptor), method.toString());
                methods++;
            }
        }
        assertTrue(methods > 500, "primitives, arrays of both, nested types: " + methods + " methods");
    }

    @Test
    void aRuleNamesItsMethodByNameParameterCountOrTypes() {
        String descriptor = "(Lorg/quartz/JobExecutionContext;[IJ)V";
        assertTrue(rule("execute", null, Rule.ANY_PARAMETERS).matches("execute", descriptor));
        assertTrue(rule("execute", null, 3).matches("execute", descriptor));
        assertFalse(rule("execute", null, 2).matches("execute", descriptor));
        assertTrue(rule("execute", List.of("org.quartz.JobExecutionContext", "[I", "long"), 3).matches("execute", descriptor));
        assertFalse(rule("execute", List.of("org.quartz.JobExecutionContext", "[J", "long"), 3).matches("execute", descriptor));
        assertFalse(rule("run", null, Rule.ANY_PARAMETERS).matches("execute", descriptor));
        Rule constructors = Rule.constructors("built", "org.quartz.Job", null, List.of());
        assertTrue(constructors.matches("<init>", "()V"));
        assertFalse(constructors.matches("execute", descriptor));
    }

    private static Rule rule(String method, List<String> parameterTypes, int parameterCount) {
        return Rule.method(method, "org.quartz.Job", method, parameterTypes, parameterCount, 0, false, false, null, List.of());
    }
}
