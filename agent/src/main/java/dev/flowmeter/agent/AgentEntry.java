package dev.flowmeter.agent;

import dev.flowmeter.agent.report.Report;
import java.lang.instrument.Instrumentation;

/**
 * The agent's entry points. Nothing here may touch {@code dev.flowmeter.agent.bootstrap} before
 * {@link BootstrapInjector} has put it in the bootstrap class loader, or two copies would exist.
 */
public final class AgentEntry {

    private static volatile boolean started;

    private AgentEntry() {}

    public static void premain(String arguments, Instrumentation instrumentation) {
        start(arguments, instrumentation);
    }

    public static void agentmain(String arguments, Instrumentation instrumentation) {
        if (Cli.DETACH.equals(arguments)) {
            detach();
        } else {
            start(arguments, instrumentation);
        }
    }

    /** What {@code java -jar flowmeter-agent.jar detach PID} runs in the JVM. */
    private static void detach() {
        if (!started) {
            System.setProperty(Cli.DETACHED_PROPERTY, "not running");
            return;
        }
        try {
            LiveOperations.detachCurrent();
        } catch (Throwable error) {
            System.setProperty(Cli.DETACHED_PROPERTY, "failed: " + error);
            Report.line("detaching failed: " + error);
        }
    }

    /** The agent took itself out: a later attach starts it again from zero. */
    static void detached() {
        started = false;
    }

    private static synchronized void start(String arguments, Instrumentation instrumentation) {
        if (started) {
            Report.line("already running in this JVM, "
                    + System.getProperty(Cli.URL_PROPERTY, "inactive") + "; nothing changed");
            return;
        }
        started = true;
        System.clearProperty(Cli.DETACHED_PROPERTY);
        try {
            BootstrapInjector.inject(instrumentation);
            Startup.start(arguments, instrumentation);
        } catch (Throwable error) {
            Report.line("the agent failed to start and is inactive; the application runs on: " + error);
        }
    }
}
