package dev.flowmeter.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flowmeter.testkit.Scrape;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * test-app started twice with the same weave cache: the first start weaves the Conductor client's
 * classes with ByteBuddy's Advice (the class-load log shows Advice loaded, after the application's
 * main class, at the first class woven); the second takes them from
 * the cache and loads no ByteBuddy class at all, and its counts are as exact as the first's.
 */
class WeaveCacheTest {

    private static final int WORKFLOWS = 12;
    private static final String ADVICE = "dev.flowmeter.agent.shaded.net.bytebuddy.asm.Advice ";

    @Test
    void aRestartTakesTheWovenClassesFromTheCacheAndLoadsNoByteBuddy(@TempDir Path temporary) throws Exception {
        Path cache = temporary.resolve("cache");
        Map<String, Double> wovenFirst = startAndCheck(temporary.resolve("first.log"), cache);
        List<String> first = Files.readAllLines(temporary.resolve("first.log"));
        int byteBuddy = indexOf(first, "dev.flowmeter.agent.shaded.net.bytebuddy.");
        int main = indexOf(first, "dev.flowmeter.testapp.TestApp ");
        assertTrue(indexOf(first, ADVICE) >= 0, "ByteBuddy's Advice weaves the classes");
        assertTrue(main >= 0 && byteBuddy > main, "ByteBuddy is first loaded to weave a class, once main has begun, not in premain");
        try (Stream<Path> entries = Files.list(cache)) {
            assertTrue(entries.anyMatch(entry -> entry.toString().endsWith(".woven")));
        }

        Map<String, Double> wovenAgain = startAndCheck(temporary.resolve("second.log"), cache);
        List<String> second = Files.readAllLines(temporary.resolve("second.log"));
        assertFalse(second.stream().anyMatch(line -> line.contains("dev.flowmeter.agent.shaded.net.bytebuddy.")),
                "no ByteBuddy class is loaded on a restart");
        assertEquals(wovenFirst, wovenAgain, "the same methods are reported instrumented");
    }

    /** Runs the load with a class-load log; checks the executions against test-app's own counts; the methods instrumented per instrumentation. */
    private static Map<String, Double> startAndCheck(Path classLog, Path cache) throws Exception {
        try (TestAppRun run = TestAppRun.finish(List.of("-Xlog:class+load:file=" + classLog), "port=0,weave_cache=" + cache,
                WORKFLOWS, "--seed", "11")) {
            Scrape scrape = run.jvm().scrape();
            JsonNode executions = run.stats().at("/tasks/executions");
            long total = 0;
            for (var names = executions.fieldNames(); names.hasNext(); ) {
                String taskType = names.next();
                long success = executions.get(taskType).get("success").asLong();
                scrape.assertCount(success, "task_execute_time_seconds_count", Map.of("task_type", taskType, "status", "SUCCESS"));
                total += success;
            }
            assertTrue(total > 0, executions.toString());
            run.jvm().assertRecordedWithoutErrors(scrape);
            Map<String, Double> woven = new java.util.TreeMap<>();
            for (Scrape.Sample sample : scrape.matching(sample -> sample.name().equals("flowmeter_instrumented_methods"))) {
                woven.put(sample.labels().toString(), sample.value());
            }
            assertTrue(woven.getOrDefault("{instrumentation=conductor}", 0.0) > 0, woven.toString());
            return woven;
        }
    }

    private static int indexOf(List<String> lines, String text) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(text)) {
                return i;
            }
        }
        return -1;
    }
}
