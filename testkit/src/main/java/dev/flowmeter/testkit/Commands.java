package dev.flowmeter.testkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * For fixture applications: the commands a test sends on standard input ({@link InstrumentedJvm#send}),
 * each answered by a line on standard output that the test waits for.
 */
public final class Commands {

    /** What a command does. */
    @FunctionalInterface
    public interface Action {
        void run() throws Exception;
    }

    /** A command line, what it does, and the line printed when it is done. */
    public record Command(String line, Action action, String reply) {}

    private final BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));

    private Commands() {}

    public static Commands stdin() {
        return new Commands();
    }

    public static Command on(String line, Action action, String reply) {
        return new Command(line, action, reply);
    }

    /** Reads the next line, which must be {@code command}. */
    public void expect(String command) throws IOException {
        String line = in.readLine();
        if (!command.equals(line)) {
            throw new IllegalStateException("expected '" + command + "', got '" + line + "'");
        }
    }

    /**
     * Prints what the application counted, {@code truth}, as {@code truth KEY VALUE} lines and then {@code ready}, the
     * line the test waits for; then obeys {@code commands} from standard input until it closes.
     */
    public static void printTruthAndObey(Map<String, Long> truth, String ready, Command... commands) throws Exception {
        truth.forEach((key, value) -> System.out.println("truth " + key + " " + value));
        System.out.println(ready);
        stdin().obey(commands);
    }

    /**
     * Waits for the {@code held} jobs to start (each counts {@code entered} down), prints {@code holding N}, the line the
     * test waits for, and releases them (counts {@code release} down) when the next line read is {@code release}.
     */
    public void holdUntilReleased(CountDownLatch entered, int held, CountDownLatch release) throws Exception {
        if (!entered.await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the held jobs did not start");
        }
        System.out.println("holding " + held);
        expect("release");
        release.countDown();
    }

    /** Obeys {@code commands} once each, in this order: each must be the next line read. */
    public void obeyInOrder(Command... commands) throws Exception {
        for (Command command : commands) {
            expect(command.line());
            command.action().run();
            System.out.println(command.reply());
        }
    }

    /** Obeys {@code commands}, in any order and as often as they come, until standard input closes. */
    public void obey(Command... commands) throws Exception {
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            for (Command command : commands) {
                if (command.line().equals(line)) {
                    command.action().run();
                    System.out.println(command.reply());
                }
            }
        }
    }

    /** Waits for standard input to close: the application keeps serving metrics until the test ends it. */
    public void awaitEnd() throws IOException {
        in.readLine();
    }
}
