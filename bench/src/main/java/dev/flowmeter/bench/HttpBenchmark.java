package dev.flowmeter.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One GET to a loopback server on a kept-alive connection, with the JDK's HttpClient and with OkHttp,
 * as an orchestrator's API client makes them. Both agents instrument both clients themselves.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class HttpBenchmark {

    private LoopbackServer server;
    private HttpClient jdk;
    private HttpRequest jdkRequest;
    private OkHttpClient okHttp;
    private Request okHttpRequest;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        server = new LoopbackServer();
        String url = "http://127.0.0.1:" + server.port() + "/api/orders/42";
        jdk = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        jdkRequest = HttpRequest.newBuilder(URI.create(url)).GET().build();
        okHttp = new OkHttpClient();
        okHttpRequest = new Request.Builder().url(url).build();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        okHttp.dispatcher().executorService().shutdown();
        okHttp.connectionPool().evictAll();
        server.close();
    }

    @Benchmark
    public int jdkHttpClient() throws IOException, InterruptedException {
        return jdk.send(jdkRequest, HttpResponse.BodyHandlers.ofByteArray()).body().length;
    }

    @Benchmark
    public int okHttp() throws IOException {
        try (Response response = okHttp.newCall(okHttpRequest).execute()) {
            return response.body().bytes().length;
        }
    }
}
