package dev.flowmeter.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * A JVM that sends GETs to its own loopback server when the suite says so, for the HTTP part: the
 * suite keeps one of these per configuration (no agent, Flowmeter, the OpenTelemetry agent) and
 * has them take turns in short slices, so that the configurations compared are measured a second
 * apart, under the same load from whatever else runs on the machine.
 *
 * <p>Each line on standard input, {@code CLIENT MILLIS} ({@code jdkHttpClient} or {@code okHttp}),
 * sends requests one after another on a kept-alive connection for that long and answers one line:
 * {@code http-load: CLIENT REQUESTS MEDIAN_NS CPU_NS ALLOCATED_BYTES}, the requests sent, the
 * median request's wall time, the process CPU time (all threads: the client's, the server's, an
 * agent's, GC, JIT) and the bytes all threads allocated meanwhile. The end of input ends it.
 */
public final class HttpLoad {

    /** Requests timed per slice at most: far more than a slice of a second holds. */
    private static final int MAX_REQUESTS = 1 << 20;

    private HttpLoad() {}

    public static void main(String[] args) throws IOException, InterruptedException {
        LoopbackServer server = new LoopbackServer();
        String url = "http://127.0.0.1:" + server.port() + "/api/orders/42";
        HttpClient jdk = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpRequest jdkRequest = HttpRequest.newBuilder(URI.create(url)).GET().build();
        OkHttpClient okHttp = new OkHttpClient();
        Request okHttpRequest = new Request.Builder().url(url).build();
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
            boolean useJdk = parts[0].equals("jdkHttpClient");
            if (!useJdk && !parts[0].equals("okHttp")) {
                throw new IllegalArgumentException("unknown client: " + command);
            }
            long slice = Long.parseLong(parts[1]) * 1_000_000L;
            long cpuBefore = os.getProcessCpuTime();
            long allocatedBefore = allocated(threads);
            long start = System.nanoTime();
            long now = start;
            int requests = 0;
            while (now - start < slice && requests < times.length) {
                long begin = now;
                if (useJdk) {
                    received += jdk.send(jdkRequest, HttpResponse.BodyHandlers.ofByteArray()).body().length;
                } else {
                    try (Response response = okHttp.newCall(okHttpRequest).execute()) {
                        received += response.body().bytes().length;
                    }
                }
                now = System.nanoTime();
                times[requests++] = now - begin;
            }
            long cpu = os.getProcessCpuTime() - cpuBefore;
            long allocated = allocated(threads) - allocatedBefore;
            Arrays.sort(times, 0, requests);
            System.out.println("http-load: " + parts[0] + " " + requests + " " + times[requests / 2] + " " + cpu + " "
                    + allocated);
            System.out.flush();
        }
        System.err.println("http-load: " + received + " bytes received");
        server.close();
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
