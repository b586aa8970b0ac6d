package dev.flowmeter.testkit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/** A /metrics scrape in Prometheus text format 0.0.4, parsed into samples. */
public final class Scrape {

    public record Sample(String name, Map<String, String> labels, double value) {}

    private final List<Sample> samples;
    private final String text;

    private Scrape(List<Sample> samples, String text) {
        this.samples = samples;
        this.text = text;
    }

    public static Scrape parse(String text) {
        List<Sample> samples = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int brace = line.indexOf('{');
            int space = line.lastIndexOf(' ');
            String name = brace < 0 ? line.substring(0, space) : line.substring(0, brace);
            Map<String, String> labels = brace < 0 ? Map.of() : labels(line.substring(brace + 1, line.lastIndexOf('}')));
            samples.add(new Sample(name, labels, Double.parseDouble(line.substring(space + 1))));
        }
        return new Scrape(samples, text);
    }

    private static Map<String, String> labels(String text) {
        Map<String, String> labels = new LinkedHashMap<>();
        int i = 0;
        while (i < text.length()) {
            int equals = text.indexOf('=', i);
            String name = text.substring(i, equals).trim();
            StringBuilder value = new StringBuilder();
            int j = equals + 2; // past ="
            for (; text.charAt(j) != '"'; j++) {
                if (text.charAt(j) == '\\') {
                    j++;
                }
                value.append(text.charAt(j));
            }
            labels.put(name, value.toString());
            i = j + 2; // past ",
        }
        return labels;
    }

    public List<Sample> samples() {
        return samples;
    }

    public String text() {
        return text;
    }

    /** Fails unless the samples of {@code name} with {@code labels} add up to exactly {@code expected}. */
    public void assertCount(long expected, String name, Map<String, String> labels) {
        long counted = (long) sum(name, labels);
        if (counted != expected) {
            throw new AssertionError(name + labels + ": expected " + expected + " but was " + counted + "\n" + text);
        }
    }

    /** Fails unless {@code engine}'s workflow_engine_status is 1 for {@code state} and 0 for the other states. */
    public void assertEngineStatus(String engine, String state) {
        for (String each : List.of("RUNNING", "PAUSED", "STOPPED")) {
            assertCount(each.equals(state) ? 1 : 0, "workflow_engine_status", Map.of("engine", engine, "workflow_engine_status", each));
        }
    }

    /**
     * Fails unless the executions of {@code taskType} are what the application counted in its truth:
     * {@code ok KEY} (there must be some) as task_execute_time_seconds_count's SUCCESS, and each
     * {@code failed KEY EXCEPTION} as its FAILURE and as task_execute_error_total of that exception.
     * Returns the failures.
     */
    public long assertExecutions(Map<String, Long> truth, String key, String taskType) {
        long ok = truth.getOrDefault("ok " + key, 0L);
        long failed = 0;
        for (Map.Entry<String, Long> entry : truth.entrySet()) {
            if (entry.getKey().startsWith("failed " + key + " ")) {
                // The job's own exception, though a reflective call may wrap it.
                String exception = entry.getKey().substring(entry.getKey().lastIndexOf(' ') + 1);
                assertCount(entry.getValue(), "task_execute_error_total", Map.of("task_type", taskType, "exception", exception));
                failed += entry.getValue();
            }
        }
        if (ok <= 0) {
            throw new AssertionError(key + " must succeed sometimes: " + truth);
        }
        assertCount(ok, "task_execute_time_seconds_count", Map.of("task_type", taskType, "status", "SUCCESS"));
        assertCount(failed, "task_execute_time_seconds_count", Map.of("task_type", taskType, "status", "FAILURE"));
        assertCount(failed, "task_execute_error_total", Map.of("task_type", taskType));
        return failed;
    }

    /**
     * {@link #assertExecutions} of each of {@code keys}, whose task type is {@code taskType} of the key, some of them
     * failures; and {@code total} executions in all, none still in flight.
     */
    public void assertAllExecutions(Map<String, Long> truth, List<String> keys, UnaryOperator<String> taskType, long total) {
        long failures = 0;
        for (String key : keys) {
            failures += assertExecutions(truth, key, taskType.apply(key));
        }
        if (failures <= 0) {
            throw new AssertionError("the load must contain failures: " + truth);
        }
        assertCount(total, "task_execute_time_seconds_count", Map.of());
        assertCount(0, "task_active", Map.of());
    }

    /**
     * Each task type's successful updates (task_update_time_seconds_count's SUCCESS) are its count in {@code updates},
     * and they, as the family's count, add up to {@code total}: one per execution.
     */
    public void assertSuccessfulUpdates(Map<String, Long> updates, long total) {
        long all = 0;
        for (Map.Entry<String, Long> update : updates.entrySet()) {
            assertCount(update.getValue(), "task_update_time_seconds_count",
                    Map.of("task_type", update.getKey(), "status", "SUCCESS"));
            all += update.getValue();
        }
        if (all != total) {
            throw new AssertionError("one update per execution: expected " + total + " but was " + all + ": " + updates);
        }
        assertCount(all, "task_update_time_seconds_count", Map.of());
    }

    /** The sum of the samples of {@code name} whose labels include all of {@code labels}. */
    public double sum(String name, Map<String, String> labels) {
        return samples.stream()
                .filter(s -> s.name().equals(name) && s.labels().entrySet().containsAll(labels.entrySet()))
                .mapToDouble(Sample::value).sum();
    }

    /**
     * A histogram family's {@code _count} and {@code _sum}, added up by the value of {@code label}:
     * keys "VALUE count" and "VALUE sum".
     */
    public Map<String, Long> totalsBy(String family, String label) {
        Map<String, Long> totals = new java.util.TreeMap<>();
        for (Sample sample : samples) {
            for (String total : new String[] {"count", "sum"}) {
                if (sample.name().equals(family + "_" + total) && sample.labels().containsKey(label)) {
                    totals.merge(sample.labels().get(label) + " " + total, (long) sample.value(), Long::sum);
                }
            }
        }
        return totals;
    }

    public List<Sample> matching(Predicate<Sample> predicate) {
        return samples.stream().filter(predicate).toList();
    }
}
