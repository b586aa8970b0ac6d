package dev.flowmeter.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * A JVM the suite started, timed from just before its start: when each awaited line of its output
 * appeared, and when its metrics endpoint first answered.
 */
final class Launched implements AutoCloseable {

    private final long started;
    private final Process process;
    private final Deque<String> lastLines = new ArrayDeque<>();
    private final ConcurrentHashMap<Predicate<String>, CompletableFuture<Line>> awaited = new ConcurrentHashMap<>();
    private final CompletableFuture<Long> answered = new CompletableFuture<>();

    /** A line of output and the nanoseconds from the start to its arrival. */
    record Line(String text, long nanos) {}

    Launched(List<String> command) throws IOException {
        started = System.nanoTime();
        process = new ProcessBuilder(command).redirectErrorStream(true).start();
        Thread reader = new Thread(this::read, "launched-output");
        reader.setDaemon(true);
        reader.start();
    }

    /** Polls {@code http://127.0.0.1:PORT/metrics} until it answers 200. */
    Launched pollMetrics(int port) {
        Thread poller = new Thread(() -> poll(port), "launched-poller");
        poller.setDaemon(true);
        poller.start();
        return this;
    }

    /** Registers a line to wait for; register before it can appear, right after the start. */
    CompletableFuture<Line> line(Predicate<String> matching) {
        return awaited.computeIfAbsent(matching, m -> new CompletableFuture<>());
    }

    Line await(CompletableFuture<Line> line, int seconds) throws IOException {
        try {
            return line.get(seconds, TimeUnit.SECONDS);
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            throw new IOException("no expected line within " + seconds + " s; last output: " + lastOutput(), e);
        }
    }

    long awaitMetrics(int seconds) throws IOException {
        try {
            return answered.get(seconds, TimeUnit.SECONDS);
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            throw new IOException("metrics endpoint silent for " + seconds + " s; last output: " + lastOutput(), e);
        }
    }

    /** The CPU time, user and system, that the JVM has used so far: all its threads, as the kernel counts it. */
    Duration cpu() throws IOException {
        return process.info().totalCpuDuration()
                .orElseThrow(() -> new IOException("the CPU time of process " + process.pid() + " is not known"));
    }

    private void read() {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            String text;
            while ((text = reader.readLine()) != null) {
                long nanos = System.nanoTime() - started;
                synchronized (lastLines) {
                    lastLines.addLast(text);
                    if (lastLines.size() > 20) {
                        lastLines.removeFirst();
                    }
                }
                for (var entry : awaited.entrySet()) {
                    if (entry.getKey().test(text)) {
                        entry.getValue().complete(new Line(text, nanos));
                    }
                }
            }
        } catch (IOException ended) {
            // the process is gone
        }
    }

    private void poll(int port) {
        while (process.isAlive() && !answered.isDone()) {
            try {
                HttpURLConnection connection = (HttpURLConnection) new URL("http://127.0.0.1:" + port + "/metrics")
                        .openConnection();
                connection.setConnectTimeout(500);
                connection.setReadTimeout(5000);
                if (connection.getResponseCode() == 200) {
                    connection.getInputStream().readAllBytes();
                    answered.complete(System.nanoTime() - started);
                }
                connection.disconnect();
            } catch (IOException notYet) {
                // not listening yet
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private String lastOutput() {
        synchronized (lastLines) {
            return String.join(" | ", lastLines);
        }
    }

    @Override
    public void close() throws IOException {
        process.destroy();
        awaitExit(process);
    }

    /** Waits for a process told to stop, and kills it if it does not within 10 s. */
    static void awaitExit(Process process) {
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
