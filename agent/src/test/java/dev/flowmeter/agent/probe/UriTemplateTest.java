package dev.flowmeter.agent.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The test that fills the remembered templates runs last: past it, templates are made anew, not found. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
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

    @Test
    void aTemplateMadeBeforeIsFoundAgainForOtherIdentifiers() {
        String first = UriTemplate.template("/known/42/items/7?page=2");
        assertEquals("/known/{id}/items/{id}", first);
        assertSame(first, UriTemplate.template("/known/43/items/3f2b9c1e-8a4d-4e7f-9b1a-2c3d4e5f6a7b"));
        assertSame(first, UriTemplate.template("http://host:8080/known/1/items/2#top"));
        assertEquals("/known/{id}/items", UriTemplate.template("/known/42/items?x=1"));
        assertEquals("/known/{id}/item", UriTemplate.template("/known/42/item?x=1"));
        assertEquals("/known/{id}/items/{id}/", UriTemplate.template("/known/42/items/7/"));
        assertEquals("/", UriTemplate.template("http://host:8080?q=1"));
        assertSame(UriTemplate.template("http://a:1"), UriTemplate.template("http://b:2"));
    }

    @Test
    @Order(Integer.MAX_VALUE)
    void manyTemplatesStayCorrectPastWhatIsRemembered() {
        for (int i = 0; i < UriTemplate.MAX_KNOWN + 100; i++) {
            assertEquals("/many" + i + "/{id}", UriTemplate.template("/many" + i + "/" + i));
        }
        for (int i = 0; i < UriTemplate.MAX_KNOWN + 100; i++) {
            assertEquals("/many" + i + "/{id}", UriTemplate.template("/many" + i + "/" + (i + 1)));
        }
    }
}
