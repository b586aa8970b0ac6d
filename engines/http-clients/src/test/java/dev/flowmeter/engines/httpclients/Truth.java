package dev.flowmeter.engines.httpclients;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flowmeter.testkit.FixtureRun;
import dev.flowmeter.testkit.Scrape;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * What a fixture counted itself, {@code truth METHOD URI STATUS COUNT} lines, and the checks its
 * scrape must pass against it.
 */
final class Truth {

    static final Duration TIMEOUT = Duration.ofSeconds(120);
    static final String REQUESTS = "api_request_time_seconds_count";

    private Truth() {}

    /**
     * The fixture's requests with {@code client} (to uris under {@code /CLIENT/}) met every outcome,
     * and each is counted once: {@link #assertCountedOnce}.
     */
    static void assertEachRequestOfCountedOnce(FixtureRun run, String client) {
        Predicate<String> uris = uri -> uri.startsWith("/" + client + "/");
        assertEquals(Set.of("200", "404", "500", "error"), statuses(run, uris), "the workload covers every outcome");
        assertCountedOnce(run, uris);
    }

    /**
     * Every request the fixture sent to a uri that {@code uris} accepts is in the scrape once, under
     * its method, uri template and status; no other series of those uris exists (an untemplated
     * path, a query string, a request counted twice).
     */
    static void assertCountedOnce(FixtureRun run, Predicate<String> uris) {
        Map<String, Long> counts = run.truth();
        Scrape scrape = run.scrape();
        long total = 0;
        for (Map.Entry<String, Long> entry : counts.entrySet()) {
            String[] key = entry.getKey().split(" ");
            if (uris.test(key[1])) {
                Map<String, String> labels = Map.of("method", key[0], "uri", key[1], "status", key[2]);
                assertEquals(entry.getValue(), (long) scrape.sum(REQUESTS, labels), labels + " in\n" + scrape.text());
                total += entry.getValue();
            }
        }
        assertTrue(total > 0, "the fixture sent no such request: " + counts);
        double scraped = scrape.matching(sample -> sample.name().equals(REQUESTS) && uris.test(sample.labels().get("uri")))
                .stream().mapToDouble(Scrape.Sample::value).sum();
        assertEquals(total, (long) scraped, "requests of those uris in all series:\n" + scrape.text());
    }

    /** The statuses the fixture saw for those uris, so a test can check that its workload covered what it claims. */
    static Set<String> statuses(FixtureRun run, Predicate<String> uris) {
        Set<String> statuses = new TreeSet<>();
        run.truth().keySet().stream().map(key -> key.split(" ")).filter(key -> uris.test(key[1])).forEach(key -> statuses.add(key[2]));
        return statuses;
    }
}
