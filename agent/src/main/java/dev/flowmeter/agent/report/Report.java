package dev.flowmeter.agent.report;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The agent's one way to the application's stderr: every line starts with {@code flowmeter:}, a
 * line about one thing is said once, and a line that can repeat while the application runs (an
 * export that keeps failing, a class that cannot be woven) at most once a minute per kind, the next
 * one saying how many were left out. Used by every package of the agent; uses none of them.
 */
public final class Report {

    static final String PREFIX = "flowmeter: ";
    static final long INTERVAL_NANOS = 60_000_000_000L;

    private static final Report STDERR = new Report(System::nanoTime);

    private final LongSupplier clock;
    private final Map<String, Boolean> said = new ConcurrentHashMap<>();
    private final Map<String, Limited> limited = new ConcurrentHashMap<>();

    Report(LongSupplier clock) {
        this.clock = clock;
    }

    /** A line, said every time: what the user asked for went wrong, or what the agent did. */
    public static void line(String message) {
        STDERR.print(message);
    }

    /** The line that says the agent runs, and where its metrics go: {@code flowmeter VERSION: ...}. */
    public static void started(String version, String message) {
        System.err.println("flowmeter " + version + ": " + message);
    }

    /** A setting or rule the agent accepted but that likely does not do what the user meant. */
    public static void warning(String message) {
        STDERR.print("warning: " + message);
    }

    /** A line said the first time {@code key} is reported in this JVM, and never again. */
    public static void once(String key, String message) {
        STDERR.sayOnce(key, message);
    }

    /** A line of a kind that may repeat: at most once a minute for each {@code kind}. */
    public static void limited(String kind, String message) {
        STDERR.sayLimited(kind, message);
    }

    void sayOnce(String key, String message) {
        if (said.putIfAbsent(key, Boolean.TRUE) == null) {
            print(message);
        }
    }

    void sayLimited(String kind, String message) {
        Limited state = limited.computeIfAbsent(kind, k -> new Limited());
        long left;
        synchronized (state) {
            long now = clock.getAsLong();
            if (state.said && now - state.last < INTERVAL_NANOS) {
                state.leftOut++;
                return;
            }
            left = state.leftOut;
            state.said = true;
            state.last = now;
            state.leftOut = 0;
        }
        print(left == 0 ? message : message + " (" + left + " more like it in the last minute left out)");
    }

    void print(String message) {
        System.err.println(PREFIX + message);
    }

    private static final class Limited {
        boolean said;
        long last;
        long leftOut;
    }
}
