package dev.flowmeter.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * The HTTP part's requests: one GET on a kept-alive connection, answered with 2 bytes, sent by
 * <ul>
 *   <li>{@code jdkHttpClient}: the JDK's {@link HttpClient} to the {@link LoopbackServer}. Built with
 *       an executor that runs the client's tasks where they arise, so that the response is handled on
 *       the client's selector thread instead of being handed to a pool thread: that takes two thread
 *       hand-offs, and most of the loopback's scheduling noise, out of each request. Both agents
 *       instrument the same calls either way.</li>
 *   <li>{@code okHttp}: OkHttp to the {@link LoopbackServer}, with its defaults.</li>
 *   <li>{@code okHttpInMemory}: OkHttp over an {@link InMemoryConnection}, all on the calling thread;
 *       without timeouts, since with them every read arms OkHttp's watchdog thread.</li>
 * </ul>
 */
final class Requests implements AutoCloseable {

    static final List<String> CLIENTS = List.of("jdkHttpClient", "okHttp", "okHttpInMemory");

    private final LoopbackServer server;
    private final HttpClient jdk;
    private final HttpRequest jdkRequest;
    private final OkHttpClient okHttp;
    private final OkHttpClient okHttpInMemory;
    private final Request okHttpRequest;

    Requests() throws IOException {
        server = new LoopbackServer();
        String url = "http://127.0.0.1:" + server.port() + "/api/orders/42";
        jdk = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(Runnable::run).build();
        jdkRequest = HttpRequest.newBuilder(URI.create(url)).GET().build();
        okHttp = new OkHttpClient();
        okHttpInMemory = new OkHttpClient.Builder().socketFactory(InMemoryConnection.FACTORY)
                .connectTimeout(Duration.ZERO).readTimeout(Duration.ZERO).writeTimeout(Duration.ZERO).build();
        okHttpRequest = new Request.Builder().url(url).build();
    }

    /** Sends one request with the client named, one of {@link #CLIENTS}; returns the bytes received. */
    int send(String client) throws IOException, InterruptedException {
        switch (client) {
            case "jdkHttpClient": return jdkHttpClient();
            case "okHttp": return okHttp();
            case "okHttpInMemory": return okHttpInMemory();
            default: throw new IllegalArgumentException("unknown client " + client + "; known: " + CLIENTS);
        }
    }

    int jdkHttpClient() throws IOException, InterruptedException {
        return jdk.send(jdkRequest, HttpResponse.BodyHandlers.ofByteArray()).body().length;
    }

    int okHttp() throws IOException {
        return okHttp(okHttp);
    }

    int okHttpInMemory() throws IOException {
        return okHttp(okHttpInMemory);
    }

    private int okHttp(OkHttpClient client) throws IOException {
        try (Response response = client.newCall(okHttpRequest).execute()) {
            return response.body().bytes().length;
        }
    }

    @Override
    public void close() throws IOException {
        for (OkHttpClient client : List.of(okHttp, okHttpInMemory)) {
            client.dispatcher().executorService().shutdown();
            client.connectionPool().evictAll();
        }
        server.close();
    }
}
