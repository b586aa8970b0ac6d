package dev.flowmeter.agent.rules.expr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ExpressionTest {

    /** Not public, as an application's own engine often is. */
    static final class Engine {
        public final String region = "eu";
        private final List<String> queue = List.of("a", "b");

        public String getName() {
            return "main";
        }

        List<String> queue() {
            return queue;
        }

        public boolean isPaused() {
            return true;
        }
    }

    enum State { RUNNING }

    @Test
    void stepsResolveMethodsGettersAndFields() {
        Engine engine = new Engine();
        assertEquals("main", value("this.getName()", engine, null, null));
        assertEquals("main", value("this.name", engine, null, null));
        assertEquals("true", value("this.paused", engine, null, null));
        assertEquals("eu", value("this.region", engine, null, null));
        assertEquals("2", value("this.queue().size()", engine, null, null));
        assertEquals("Engine", value("this.getClass().getSimpleName()", engine, null, null));
    }

    @Test
    void rootsAreThisArgumentsReturnAndThrown() {
        assertEquals("RUNNING", value("return", null, null, State.RUNNING));
        assertEquals("RUNNING", value("return.name()", null, null, State.RUNNING));
        assertEquals("order", value("arg3", null, "order", null));
        assertEquals(3, Expression.parse("arg3.length()").argumentIndex());
        assertEquals("IllegalStateException", Expression.parse("thrown.getClass().getSimpleName()")
                .value(null, null, null, new IllegalStateException("secret")));
    }

    @Test
    void aNullAlongThePathYieldsEmpty() {
        assertNull(Expression.parse("arg0.getName().length()").evaluate(null, null, null, null));
        assertEquals("", value("arg0.getName()", null, null, null));
    }

    @Test
    void aMissingMethodSaysWhereWhenItIsMet() {
        ExpressionException error = assertThrows(ExpressionException.class,
                () -> value("this.getQueue().size()", new Engine(), null, null));
        assertTrue(error.getMessage().contains("this.getQueue().size()"), error.getMessage());
        assertTrue(error.getMessage().contains(Engine.class.getName() + " has no method, getter or field 'getQueue'")
                || error.getMessage().contains("has no method getQueue()"), error.getMessage());
    }

    /** An HTTP response, as clients return it: the status code is an {@code int}. */
    public static final class Response {
        public final int port;
        private final int code;

        Response(int code) {
            this.code = code;
            this.port = code + 1;
        }

        public int code() {
            return code;
        }
    }

    @Test
    void intResultsBecomeTheirDecimalText() {
        assertEquals("200", value("return.code()", null, null, new Response(200)));
        assertEquals("1234", value("return.code()", null, null, new Response(1234)));
        assertEquals("-5", value("return.code()", null, null, new Response(-5)));
        assertEquals("201", value("return.port", null, null, new Response(200)));
        assertEquals(200, Expression.parse("return.code()").evaluate(null, null, new Response(200), null));
        assertSame(value("return.code()", null, null, new Response(404)),
                value("return.code()", null, null, new Response(404)));
    }

    @Test
    void longValuesAreCut() {
        assertEquals(100, value("arg0", null, "x".repeat(1000), null).length());
    }

    @Test
    void mapsAndListsAreReachedThroughTheirPublicInterfaces() {
        assertEquals("1", value("arg0.size()", null, Map.of("k", "v"), null));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "self.name", "arg10", "arg0..name", "arg0.na-me", "this.getName(x)", "return.()"})
    void badExpressionsAreRejectedWithTheText(String text) {
        ExpressionException error = assertThrows(ExpressionException.class, () -> Expression.parse(text));
        assertTrue(error.getMessage().contains("'" + text.trim() + "'"), error.getMessage());
    }

    private static String value(String text, Object self, Object argument, Object returned) {
        return Expression.parse(text).value(self, argument, returned, null);
    }
}
