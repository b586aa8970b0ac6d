package dev.flowmeter.engines.springboot;

import dev.flowmeter.testkit.Truth;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** The jobs' client of the order service: the JDK's HttpClient, counting each answer by status. */
final class OrderClient {

    static volatile String baseUrl;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private OrderClient() {}

    /** The order's HTTP status, counted as {@code http GET STATUS}. */
    static int fetch(int order) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl + "/orders/" + order)).build(),
                HttpResponse.BodyHandlers.ofString());
        Truth.count("http GET " + response.statusCode());
        return response.statusCode();
    }
}
