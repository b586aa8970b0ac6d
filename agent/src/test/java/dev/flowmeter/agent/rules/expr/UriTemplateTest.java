package dev.flowmeter.agent.rules.expr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.lang.management.ManagementFactory;
import java.util.Random;
import java.util.regex.Pattern;

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

    /** Past 64 segments, whether a segment is an identifier is read again where the lookup compares. */
    @Test
    void identifiersPastTheSixtyFourthSegment() {
        String template = "/s".repeat(70) + "/{id}/items/{id}";
        assertEquals(template, UriTemplate.template("/s".repeat(70) + "/42/items/7"));
        assertSame(UriTemplate.template("/s".repeat(70) + "/42/items/7"), UriTemplate.template("/s".repeat(70) + "/43/items/8"));
        assertEquals("/s".repeat(70) + "/{id}/items/x", UriTemplate.template("/s".repeat(70) + "/42/items/x"));
    }

    /** Found by the hash computed from the URI: a miss would build the template again, an allocation per call. */
    @Test
    void aTemplateMadeBeforeIsFoundWithoutAllocating() {
        String[] uris = {"/found/42/items/7?page=2", "http://host:8080/found/43/items/8#top", "/found/44/items/0123456789abcdef"};
        String template = UriTemplate.template(uris[0]);
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        threads.getThreadAllocatedBytes(thread);
        long before = threads.getThreadAllocatedBytes(thread);
        for (int i = 0; i < 3_000; i++) {
            if (UriTemplate.template(uris[i % uris.length]) != template) {
                throw new AssertionError(uris[i % uris.length] + " did not find " + template);
            }
        }
        assertEquals(0, threads.getThreadAllocatedBytes(thread) - before, "bytes allocated by 3,000 lookups");
    }

    /**
     * Random URIs of the characters that matter to templates, each beside what the rules in the
     * class comment make of it, written the plain way (split and match); the one-pass scan and the
     * remembered templates must give the same. Runs after the tests that need templates remembered.
     */
    @Test
    @Order(Integer.MAX_VALUE - 1)
    void randomUrisGiveWhatTheRulesSay() {
        String[] pieces = {"/", "/", "/", "?", "#", "://", "a", "F", "g", "0", "9", "42", "-", "{id}", ".", "host:80",
            "3f2b9c1e-8a4d-4e7f-9b1a-2c3d4e5f6a7b", "0123456789abcdef", "0123456789ABCDEF0", "orders"};
        Random random = new Random(20261121);
        for (int i = 0; i < 20_000; i++) {
            StringBuilder uri = new StringBuilder();
            for (int n = random.nextInt(9); n > 0; n--) {
                uri.append(pieces[random.nextInt(pieces.length)]);
            }
            String text = uri.toString();
            assertEquals(plainTemplate(text), UriTemplate.template(text), text);
            assertEquals(plainTemplate(text), UriTemplate.template(text), text + ", a second time");
        }
    }

    private static final Pattern DIGITS = Pattern.compile("[0-9]+");
    private static final Pattern UUID = Pattern.compile("(?=(?:[^-]*-){4}[^-]*$)[0-9a-fA-F-]{36}");
    private static final Pattern LONG_HEX = Pattern.compile("[0-9a-fA-F]{16,}");

    private static String plainTemplate(String uri) {
        String path = uri.split("[?#]", -1)[0];
        int scheme = path.indexOf("://");
        if (scheme >= 0) {
            int slash = path.indexOf('/', scheme + 3);
            path = slash < 0 ? "" : path.substring(slash);
        }
        if (path.isEmpty()) {
            return uri.isEmpty() ? "" : "/";
        }
        String[] segments = path.split("/", -1);
        for (int i = 0; i < segments.length; i++) {
            String segment = segments[i];
            if (DIGITS.matcher(segment).matches() || UUID.matcher(segment).matches() || LONG_HEX.matcher(segment).matches()) {
                segments[i] = UriTemplate.ID;
            }
        }
        return String.join("/", segments);
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
