package dev.flowmeter.engines.vthreads;

import dev.flowmeter.engines.vthreads.fixture.PinnedEvents;
import dev.flowmeter.testkit.InstrumentedJvm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/** What the tests of this module share: the fixture JDK, JFR's options, and reading a recording. */
final class Fixtures {

    static final Duration TIMEOUT = Duration.ofSeconds(180);
    static final Path RULES = Path.of("src", "test", "resources", "vthreads-rules.yaml").toAbsolutePath();
    static final Path PINNED_SETTINGS = Path.of("src", "test", "resources", "pinned.jfc").toAbsolutePath();
    /** The agent's own classes, the bootstrap Probes and the relocated libraries among them. */
    static final String AGENT_PACKAGE = "dev.flowmeter.agent.";

    private Fixtures() {}

    /** Fails unless the fixtures run on a JDK with virtual threads (21 or later). */
    static void requireVirtualThreads() throws IOException {
        String version = InstrumentedJvm.javaVersion();
        int feature = Integer.parseInt(version.split("[.+-]")[0]);
        if (feature < 21) {
            throw new AssertionError("the virtual-thread fixtures need a JDK of 21 or later; -D"
                    + InstrumentedJvm.JDK_PROPERTY + " names " + version);
        }
    }

    static int featureVersion() throws IOException {
        return Integer.parseInt(InstrumentedJvm.javaVersion().split("[.+-]")[0]);
    }

    /** The java options that record every pinned park of a virtual thread, with its stack, into {@code recording}. */
    static List<String> recordPinning(Path recording) throws IOException {
        Files.createDirectories(recording.getParent());
        Files.deleteIfExists(recording);
        return List.of("-XX:StartFlightRecording:filename=" + recording + ",settings=" + PINNED_SETTINGS,
                "-XX:FlightRecorderOptions:stackdepth=256");
    }

    /** A JVM's output file for a recording, under target/. */
    static Path recording(String name) {
        return Path.of("target", "jfr", name + ".jfr").toAbsolutePath();
    }

    /** The test class path, for the fixtures' JVMs. */
    static List<String> classPath() {
        return List.of("-cp", System.getProperty("java.class.path"));
    }

    /** Ends a fixture that waits for {@code exit}, so that it writes its recording. */
    static void exit(InstrumentedJvm jvm) throws Exception {
        jvm.send("exit");
        int status = jvm.waitForExit(TIMEOUT);
        if (status != 0) {
            throw new AssertionError("the fixture exited " + status + ";\n" + jvm.describe());
        }
    }

    /**
     * A pinned park read from a recording: its duration, the blocking operation and the reason it
     * stayed pinned (spaces made {@code _}; {@code -} where the JDK gives none), and its stack, top
     * frame first.
     */
    record Pinned(long nanos, String operation, String reason, List<String> frames) {
        boolean hasFrameIn(String prefix) {
            return frames.stream().anyMatch(frame -> frame.startsWith(prefix));
        }

        boolean hasFrame(String frame) {
            return frames.contains(frame);
        }

        /**
         * Whether the thread waited, pinned, for a class that the agent's code needed and another
         * thread was loading or initialising: the JVM pins a virtual thread while it loads or
         * initialises a class for it. Either a {@code ClassLoader.loadClass} frame is above (called
         * by) the agent's topmost frame, or the agent's frame is the top one and the JVM blocked
         * there on a monitor or a wait (the agent's probes hold no monitor: a class being resolved
         * or initialised), or the JDK names a class initialisation as the reason. Not so anywhere
         * in the agent's transformer, whose own locks would show the same way.
         */
        boolean inClassLoadingForTheAgent() {
            int top = 0;
            while (top < frames.size() && !frames.get(top).startsWith(AGENT_PACKAGE)) {
                top++;
            }
            if (top == frames.size() || hasFrame(AGENT_PACKAGE + "transform.ClassFilter.transform")) {
                return false;
            }
            List<String> above = frames.subList(0, top);
            return above.contains("java.lang.ClassLoader.loadClass") || reason.contains("initialization")
                    || above.isEmpty() && (operation.equals("Contended_monitor_enter") || operation.equals("Object.wait"));
        }
    }

    /** The jdk.VirtualThreadPinned events of a recording, read by the JDK that wrote it. */
    static List<Pinned> pinnedEvents(Path recording) throws Exception {
        if (!Files.isRegularFile(recording)) {
            throw new AssertionError("no recording at " + recording);
        }
        List<String> command = new ArrayList<>(classPath());
        command.add(PinnedEvents.class.getName());
        command.add(recording.toString());
        try (InstrumentedJvm reader = InstrumentedJvm.java(command)) {
            String total = reader.awaitStdout(Pattern.compile("^events \\d+$"), TIMEOUT);
            List<Pinned> events = new ArrayList<>();
            for (String line : reader.stdout()) {
                if (line.startsWith("pinned ")) {
                    String[] fields = line.split(" ");
                    events.add(new Pinned(Long.parseLong(fields[1]), fields[2], fields[3],
                            Arrays.asList(fields).subList(4, fields.length)));
                }
            }
            if (events.size() != Integer.parseInt(total.substring("events ".length()))) {
                throw new AssertionError("read " + events.size() + " of " + total + ";\n" + reader.describe());
            }
            return events;
        }
    }
}
