package dev.flowmeter.agent.transform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.flowmeter.agent.probe.RuleState;
import dev.flowmeter.agent.rules.Rule;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Which rules apply to a class as it loads, from its class file and those of its supertypes. */
class RuleIndexTest {

    interface Greeter {
        default String greet() {
            return "hello";
        }
    }

    abstract static class Polite implements Greeter {}

    static final class Greets extends Polite {
        @Override
        public String greet() {
            return "good day";
        }
    }

    /** Inherits {@code greet}, declares nothing a rule names: nothing of its own to weave. */
    static final class Inherits extends Polite {
        int other() {
            return 1;
        }
    }

    static class Engine {}

    static class Special extends Engine {}

    static final class MoreSpecial extends Special {}

    interface Shape {}

    static final class Circle implements Shape {}

    static class Plane {}

    static class Square extends Plane implements Shape {}

    static final class BigSquare extends Square {}

    static final class Unrelated implements Runnable {
        @Override
        public void run() {}
    }

    private final List<String> skipped = new ArrayList<>();

    @Test
    void aClassThatDeclaresTheMethodOfARuleAboveItIsWoven() throws IOException {
        RuleIndex index = index(Rule.method("greet", Greeter.class.getName(), "greet", null, Rule.ANY_PARAMETERS, 0, false, false, null, List.of()));
        assertEquals(List.of("greet"), applicable(index, Greets.class));
        assertNull(applicable(index, Inherits.class), "declares no greet");
        assertNull(applicable(index, Unrelated.class));
        assertEquals(List.of(), skipped);
    }

    @Test
    void rulesOnConstructorsOfAClassWeaveItsOwnConstructorsOnly() throws IOException {
        RuleIndex index = index(
                Rule.constructors("engines", Engine.class.getName(), null, List.of()),
                Rule.method("greet", Greeter.class.getName(), "greet", null, Rule.ANY_PARAMETERS, 0, false, false, null, List.of()));
        assertEquals(List.of("engines"), applicable(index, Engine.class));
        assertNull(applicable(index, Special.class), "built through Engine's constructors, which report it");
        assertNull(applicable(index, MoreSpecial.class));
        assertNull(applicable(index, Circle.class));
        assertEquals(List.of("greet"), applicable(index, Greets.class));
        assertEquals(List.of(), skipped);
    }

    @Test
    void rulesOnConstructorsOfAnInterfaceWeaveTheFirstImplementationInEachLine() throws IOException {
        RuleIndex index = index(Rule.constructors("shapes", Shape.class.getName(), null, List.of()));
        assertEquals(List.of("shapes"), applicable(index, Circle.class));
        assertEquals(List.of("shapes"), applicable(index, Square.class));
        assertNull(applicable(index, BigSquare.class), "built through Square's constructors");
        assertNull(applicable(index, Engine.class));
        assertEquals(List.of(), skipped);
    }

    private RuleIndex index(Rule... rules) {
        RuleIndex index = new RuleIndex();
        for (Rule rule : rules) {
            index.add(new RuleIndex.Entry(new RuleState(rule), new LibraryCheck(List.of(rule), skipped::add), () -> {
                throw new AssertionError("no class is woven here");
            }));
        }
        return index;
    }

    /** The names of the rules that apply to the class, read as the transformer reads it; null for none. */
    private static List<String> applicable(RuleIndex index, Class<?> type) throws IOException {
        List<RuleIndex.Entry> rules = index.applicable(type.getName().replace('.', '/'), type.getClassLoader(), classFile(type));
        return rules == null ? null : rules.stream().map(rule -> rule.state.rule().name()).collect(Collectors.toList());
    }

    private static byte[] classFile(Class<?> type) throws IOException {
        try (InputStream in = type.getResourceAsStream(type.getName().substring(type.getName().lastIndexOf('.') + 1) + ".class")) {
            return in.readAllBytes();
        }
    }
}
