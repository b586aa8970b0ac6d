package dev.flowmeter.agent.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.UndeclaredThrowableException;
import org.junit.jupiter.api.Test;

class RoleSeriesTest {

    @Test
    void theExceptionLabelNamesWhatFailedThroughReflectiveWrappers() {
        assertEquals("IllegalStateException", RoleSeries.exceptionName(new IllegalStateException()));
        assertEquals("IOException", RoleSeries.exceptionName(new InvocationTargetException(new IOException())));
        assertEquals("IOException", RoleSeries.exceptionName(
                new UndeclaredThrowableException(new InvocationTargetException(new IOException()))));
        assertEquals("IOException", RoleSeries.exceptionName(new java.util.concurrent.ExecutionException(new IOException())));
        assertEquals("IOException", RoleSeries.exceptionName(new java.util.concurrent.CompletionException(
                new java.util.concurrent.ExecutionException(new IOException()))));
        assertEquals("InvocationTargetException", RoleSeries.exceptionName(new InvocationTargetException(null)),
                "a wrapper without a cause is all there is to name");
    }
}
