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

    /** A pinned park read from a recording: its duration and its stack, top frame first. */
    record Pinned(long nanos, List<String> frames) {
        boolean hasFrameIn(String prefix) {
            return frames.stream().anyMatch(frame -> frame.startsWith(prefix));
        }

        boolean hasFrame(String frame) {
            return frames.contains(frame);
        }

        /**
         * Whether the thread parked while the JVM loaded a class that the agent's code needed: a
         * {@code ClassLoader.loadClass} frame above (called by) the agent's topmost frame. The JVM
         * pins a virtual thread while it loads a class for it, and one that needs a class another
         * thread is loading waits so; this is the agent's class loading, not a park of its own code.
         */
        boolean inClassLoadingForTheAgent() {
            for (String frame : frames) {
                if (frame.startsWith(AGENT_PACKAGE)) {
                    return false;
                }
                if (frame.equals("java.lang.ClassLoader.loadClass")) {
                    return frames.stream().anyMatch(f -> f.startsWith(AGENT_PACKAGE));
                }
            }
            return false;
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
                    events.add(new Pinned(Long.parseLong(fields[1]), Arrays.asList(fields).subList(2, fields.length)));
                }
            }
            if (events.size() != Integer.parseInt(total.substring("events ".length()))) {
                throw new AssertionError("read " + events.size() + " of " + total + ";\n" + reader.describe());
            }
            return events;
        }
    }
}
