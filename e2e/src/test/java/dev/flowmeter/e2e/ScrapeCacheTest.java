package dev.flowmeter.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flowmeter.testkit.InstrumentedJvm;
import dev.flowmeter.testkit.Scrape;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * scrape_cache: every scrape within the period is answered from one collection, though the
 * application goes on polling; without it each scrape sees the counts of its moment.
 */
class ScrapeCacheTest {

    private static final Pattern API_URL = Pattern.compile("Conductor API at (http://\\S+/api)");

    @Test
    void scrapesWithinThePeriodAreAnsweredFromOneCollection() throws Exception {
        String[] scrapes = twoScrapesWhileWorkersPoll("port=0,scrape_cache=1h");
        assertEquals(scrapes[0], scrapes[1], "one collection answers both scrapes");
    }

    @Test
    void withoutTheCacheEachScrapeSeesItsMoment() throws Exception {
        String[] scrapes = twoScrapesWhileWorkersPoll("port=0");
        assertNotEquals(scrapes[0], scrapes[1]);
    }

    /** Two scrapes of test-app's agent; between them the workers poll at least 5 times more, by test-app's own count. */
    private static String[] twoScrapesWhileWorkersPoll(String agentArguments) throws Exception {
        try (InstrumentedJvm app = InstrumentedJvm.testApp(agentArguments, "--workflows", "0", "--api-port", "0")) {
            Matcher api = API_URL.matcher(app.awaitStdout(API_URL, InstrumentedJvm.START_TIMEOUT));
            assertTrue(api.find());
            Scrape before = app.scrapeUntil(s -> s.sum("task_poll_total", Map.of()) > 0, Duration.ofSeconds(30));
            long polled = polls(api.group(1));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline && polls(api.group(1)) < polled + 5) {
                Thread.sleep(50);
            }
            assertTrue(polls(api.group(1)) >= polled + 5, "the workers polled on");
            return new String[] {before.text(), app.scrape().text()};
        }
    }

    /** The polls test-app counted itself, over every task type. */
    private static long polls(String apiUrl) throws Exception {
        JsonNode polls = new ObjectMapper().readTree(InstrumentedJvm.get(apiUrl + "/stats")).at("/tasks/polls");
        long total = 0;
        for (Iterator<JsonNode> counts = polls.elements(); counts.hasNext(); ) {
            total += counts.next().asLong();
        }
        return total;
    }
}
