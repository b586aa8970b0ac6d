package dev.flowmeter.agent.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UriTemplateTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "/orders/42|/orders/{id}",
        "/orders/42/items/7|/orders/{id}/items/{id}",
        "/workflow/3f2b9c1e-8a4d-4e7f-9b1a-2c3d4e5f6a7b|/workflow/{id}",
        "/blobs/0123456789abcdef0123|/blobs/{id}",
        "/orders/42?expand=items&token=secret|/orders/{id}",
        "/search#results|/search",
        "https://api.example.com:8443/v1/users/1001/roles|/v1/users/{id}/roles",
        "http://localhost:8080|/",
        "/orders/cafe|/orders/cafe",
        "/v2/api|/v2/api",
        "/tasks/poll/batch/{taskType}|/tasks/poll/batch/{taskType}"})
    void identifiersBecomeIdAndTheQueryGoes(String uri, String template) {
        assertEquals(template, UriTemplate.template(uri));
    }

    @ParameterizedTest
    @CsvSource({"/tasks/poll/batch/{taskType}", "/workflow", "/"})
    void aTemplateIsReturnedAsItIs(String uri) {
        assertSame(uri, UriTemplate.template(uri));
    }
}
