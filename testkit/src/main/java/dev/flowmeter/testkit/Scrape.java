package dev.flowmeter.testkit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

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
