package dev.flowmeter.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A JVM that sends the HTTP part's requests ({@link Requests}: to its own loopback server, or over
 * an in-memory connection) when the suite says so: the suite keeps one of these per configuration
 * (no agent, Flowmeter, the OpenTelemetry agent) and has them take turns in short slices, so that
 * the configurations compared are measured within a second of each other, under the same load from
 * whatever else runs on the machine.
 *
 * <p>Each line on standard input, {@code CLIENT MILLIS} (a client of {@link Requests#CLIENTS}), sends
 * requests one after another on a kept-alive connection for that long and answers one line:
 * {@code http-load: CLIENT REQUESTS MEDIAN_NS CPU_NS ALLOCATED_BYTES}, the requests sent, the
 * median request's wall time, the process CPU time (all threads: the client's, the server's, an
 * agent's, GC, JIT) and the bytes all threads allocated meanwhile. The end of input ends it.
 */
public final class HttpLoad {

    /** Requests timed per slice at most: far more than a slice holds. */
    private static final int MAX_REQUESTS = 1 << 20;

    private HttpLoad() {}

    public static void main(String[] args) throws IOException, InterruptedException {
        Requests clients = new Requests();
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long[] times = new long[MAX_REQUESTS];
        long received = 0;
        BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        System.out.println("http-load: ready");
        System.out.flush();
        String command;
        while ((command = commands.readLine()) != null) {
            String[] parts = command.trim().split(" ");
            String client = parts[0];
            long slice = Long.parseLong(parts[1]) * 1_000_000L;
            long cpuBefore = os.getProcessCpuTime();
            long allocatedBefore = allocated(threads);
            long start = System.nanoTime();
            long now = start;
            int requests = 0;
            while (now - start < slice && requests < times.length) {
                long begin = now;
                received += clients.send(client);
                now = System.nanoTime();
                times[requests++] = now - begin;
            }
            long cpu = os.getProcessCpuTime() - cpuBefore;
            long allocated = allocated(threads) - allocatedBefore;
            Arrays.sort(times, 0, requests);
            System.out.println("http-load: " + client + " " + requests + " " + times[requests / 2] + " " + cpu + " "
                    + allocated);
            System.out.flush();
        }
        System.err.println("http-load: " + received + " bytes received");
        clients.close();
        System.exit(0);
    }

    /** What all live threads allocated so far, as JMH's {@code -prof gc} counts it. */
    private static long allocated(com.sun.management.ThreadMXBean threads) {
        long sum = 0;
        for (long bytes : threads.getThreadAllocatedBytes(threads.getAllThreadIds())) {
            sum += Math.max(bytes, 0);
        }
        return sum;
    }
}
