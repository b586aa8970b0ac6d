package dev.flowmeter.agent;

import dev.flowmeter.agent.report.Report;
import java.lang.instrument.Instrumentation;

/**
 * The agent's entry points. Nothing here may touch {@code dev.flowmeter.agent.bootstrap} before
 * {@link BootstrapInjector} has put it in the bootstrap class loader, or two copies would exist.
 */
public final class AgentEntry {

    private static boolean started;

    private AgentEntry() {}

    public static void premain(String arguments, Instrumentation instrumentation) {
        start(arguments, instrumentation);
    }

    public static void agentmain(String arguments, Instrumentation instrumentation) {
        start(arguments, instrumentation);
    }

    private static synchronized void start(String arguments, Instrumentation instrumentation) {
        if (started) {
            Report.line("already running in this JVM, "
                    + System.getProperty(Cli.URL_PROPERTY, "inactive") + "; nothing changed");
            return;
        }
        started = true;
        try {
            BootstrapInjector.inject(instrumentation);
            Startup.start(arguments, instrumentation);
        } catch (Throwable error) {
            Report.line("the agent failed to start and is inactive; the application runs on: " + error);
        }
    }
}
