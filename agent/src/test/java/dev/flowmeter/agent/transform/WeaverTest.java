package dev.flowmeter.agent.transform;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flowmeter.agent.bootstrap.Probe;
import dev.flowmeter.agent.probe.RuleState;
import dev.flowmeter.agent.rules.Rule;
import dev.flowmeter.agent.rules.expr.LabelSource;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The woven bytecode, loaded in a class loader of its own, so that the JVM's verifier checks it,
 * and called: what the probes see, and that the methods behave as they did.
 */
class WeaverTest {

    /** The class the rules instrument; nothing here knows about probes. */
    public static class Orders {
        final String name;

        public Orders() {
            this("orders");
        }

        public Orders(String name) {
            this.name = name;
        }

        public String greet(String who) {
            return "hello " + who + " from " + name;
        }

        public static long sum(int a, long b, double c) {
            return a + b + (long) c;
        }

        public void fail(String message) throws IOException {
            throw new IOException(message);
        }

        public int recover(String text) {
            try {
                return Integer.parseInt(text);
            } catch (NumberFormatException notANumber) {
                return -1;
            }
        }

        /** Two types meet where the branches join: the frame there needs their common superclass. */
        public Collection<String> pick(boolean array) {
            Collection<String> list;
            if (array) {
                list = new ArrayList<>();
            } else {
                list = new LinkedList<>();
            }
            list.add(name);
            return list;
        }
    }

    public static class SpecialOrders extends Orders {
        public SpecialOrders() {
            super("special");
        }
    }

    /** What one probe saw, call by call. */
    static final class Recorder extends Probe {
        final List<Object[]> exits = new CopyOnWriteArrayList<>();
        final List<Object[]> enters = new CopyOnWriteArrayList<>();
        final long token;

        Recorder() {
            this(42L);
        }

        /** @param token what entry returns, and exit should get back */
        Recorder(long token) {
            this.token = token;
        }

        @Override
        public long enter(Object self, Object argument) {
            enters.add(new Object[] {self, argument});
            return token;
        }

        @Override
        public void exit(long entered, Object self, Object argument, Object returned, Throwable thrown) {
            exits.add(new Object[] {entered, self, argument, returned, thrown});
        }

        @Override
        public void failed(Throwable error) {
            throw new AssertionError(error);
        }
    }

    @Test
    void passesArgumentsResultsAndExceptionsToTheProbes() throws Exception {
        Recorder greet = new Recorder();
        Recorder sum = new Recorder();
        Recorder fail = new Recorder();
        Recorder recover = new Recorder();
        Recorder pick = new Recorder();
        Class<?> orders = woven(Orders.class,
                rule(Rule.method("greet", Orders.class.getName(), "greet", null, 1, 0, false, true, null, List.of()), greet),
                rule(Rule.method("sum", Orders.class.getName(), "sum", null, Rule.ANY_PARAMETERS, 0, true, true, null, List.of()), sum),
                rule(Rule.method("fail", Orders.class.getName(), "fail", List.of("java.lang.String"), 1, 0, false, false, null, List.of()), fail),
                rule(Rule.method("recover", Orders.class.getName(), "recover", null, 1, LabelSource.NO_ARGUMENT, false, true, null, List.of()), recover),
                rule(Rule.method("pick", Orders.class.getName(), "pick", null, 1, 0, false, true, null, List.of()), pick));
        Object instance = orders.getConstructor().newInstance();

        assertEquals("hello ann from orders", call(instance, "greet", "ann"));
        assertEquals(List.of(42L, instance, "ann", "hello ann from orders"), Arrays.asList(greet.exits.get(0)).subList(0, 4));
        assertNull(greet.exits.get(0)[4]);

        Method sumMethod = orders.getMethod("sum", int.class, long.class, double.class);
        assertEquals(6L, sumMethod.invoke(null, 1, 2L, 3.5));
        Object[] sumExit = sum.exits.get(0);
        assertNull(sumExit[1], "a static method has no this");
        assertArrayEquals(new Object[] {1, 2L, 3.5}, (Object[]) sumExit[2]);
        assertEquals(6L, sumExit[3]);

        InvocationTargetException thrown = assertThrows(InvocationTargetException.class,
                () -> orders.getMethod("fail", String.class).invoke(instance, "no stock"));
        assertEquals(IOException.class, thrown.getCause().getClass());
        assertEquals("no stock", thrown.getCause().getMessage());
        assertSame(thrown.getCause(), fail.exits.get(0)[4], "the probe sees the very exception the caller gets");
        assertNull(fail.exits.get(0)[3]);

        assertEquals(-1, call(instance, "recover", "x"));
        assertEquals(7, call(instance, "recover", "7"));
        assertEquals(2, recover.exits.size());
        assertNull(recover.exits.get(0)[4], "an exception the method handles itself is not the probe's");
        assertEquals(-1, recover.exits.get(0)[3]);
        assertNull(recover.enters.get(0)[1], "a rule that reads no argument gets none");

        assertEquals(ArrayList.class, orders.getMethod("pick", boolean.class).invoke(instance, true).getClass());
        assertEquals(LinkedList.class, orders.getMethod("pick", boolean.class).invoke(instance, false).getClass());
        assertEquals(List.of(true, false), List.of(pick.exits.get(0)[2], pick.exits.get(1)[2]));
    }

    @Test
    void reportsEachObjectOnceFromTheConstructorsOfTheRulesClass() throws Exception {
        Recorder built = new Recorder();
        RuleIndex.Entry constructors = rule(Rule.constructors("built", Orders.class.getName(), null, List.of()), built);
        Loader loader = new Loader();
        Class<?> orders = loader.define(Orders.class, List.of(constructors));
        Class<?> special = loader.define(SpecialOrders.class, List.of()); // RuleIndex weaves one class per line

        Object plain = orders.getConstructor().newInstance(); // this(...) runs a second constructor of Orders
        Object specialOne = special.getConstructor().newInstance(); // reported by Orders' constructor

        assertEquals(2, built.exits.size(), "one report per object");
        assertSame(plain, built.exits.get(0)[1]);
        assertSame(specialOne, built.exits.get(1)[1]);
    }

    @Test
    void twoRulesOnOneMethodEachSeeEveryCall() throws Exception {
        Recorder first = new Recorder(7L);
        Recorder second = new Recorder(9L);
        Class<?> orders = woven(Orders.class,
                rule(Rule.method("first", Orders.class.getName(), "fail", null, 1, 0, false, false, null, List.of()), first),
                rule(Rule.method("second", Orders.class.getName(), "fail", null, 1, 0, false, false, null, List.of()), second));
        Object instance = orders.getConstructor().newInstance();
        InvocationTargetException thrown = assertThrows(InvocationTargetException.class,
                () -> orders.getMethod("fail", String.class).invoke(instance, "late"));
        for (Recorder probe : List.of(first, second)) {
            assertEquals(1, probe.exits.size());
            assertEquals(probe.token, probe.exits.get(0)[0], "each rule's entry value is its own");
            assertEquals("late", probe.exits.get(0)[2]);
            assertSame(thrown.getCause(), probe.exits.get(0)[4]);
        }
    }

    @Test
    void recordsWhichMethodsItWove() throws Exception {
        RuleIndex.Entry greet = rule(Rule.method("greet", Orders.class.getName(), "greet", null, 1, 0, false, false, null, List.of()),
                new Recorder());
        woven(Orders.class, greet);
        assertEquals(1, greet.state.matchedCount());
        assertTrue(greet.state.matchedMethods().iterator().next().endsWith("#greet(Ljava/lang/String;)Ljava/lang/String;"));
    }

    @Test
    void leavesAClassWithoutMatchingMethodsAlone() throws Exception {
        byte[] classFile = classFile(Orders.class);
        assertNull(Weaver.weave(getClass().getClassLoader(), internal(Orders.class), classFile,
                List.of(rule(Rule.method("none", Orders.class.getName(), "absent", null, 0, 0, false, false, null, List.of()), new Recorder())),
                new ArrayList<>()));
    }

    private static RuleIndex.Entry rule(Rule rule, Probe probe) {
        return new RuleIndex.Entry(new RuleState(rule), null, () -> probe);
    }

    private static Object call(Object target, String method, String argument) throws Exception {
        return target.getClass().getMethod(method, String.class).invoke(target, argument);
    }

    private static Class<?> woven(Class<?> type, RuleIndex.Entry... rules) throws Exception {
        return new Loader().define(type, List.of(rules));
    }

    /** Defines woven copies of the test's classes; everything else comes from the test's own loader. */
    private static final class Loader extends ClassLoader {
        Loader() {
            super(WeaverTest.class.getClassLoader());
        }

        Class<?> define(Class<?> type, List<RuleIndex.Entry> rules) throws IOException {
            byte[] original = classFile(type);
            byte[] woven = rules.isEmpty() ? original : Weaver.weave(this, internal(type), original, rules, new ArrayList<>());
            return defineClass(type.getName(), woven, 0, woven.length);
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            Class<?> defined = findLoadedClass(name);
            return defined != null ? defined : super.loadClass(name, resolve);
        }
    }

    private static byte[] classFile(Class<?> type) throws IOException {
        try (InputStream in = type.getClassLoader().getResourceAsStream(internal(type) + ".class")) {
            return in.readAllBytes();
        }
    }

    private static String internal(Class<?> type) {
        return type.getName().replace('.', '/');
    }
}
