package dev.flowmeter.testkit;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * For fixture applications: what they counted themselves, printed as {@code truth KEY COUNT} lines,
 * which {@link InstrumentedJvm#truth()} reads back as the test's ground truth.
 */
public final class Truth {

    private static final Map<String, AtomicLong> COUNTS = new ConcurrentHashMap<>();

    private Truth() {}

    public static void count(String key) {
        COUNTS.computeIfAbsent(key, k -> new AtomicLong()).incrementAndGet();
    }

    public static long get(String key) {
        AtomicLong count = COUNTS.get(key);
        return count == null ? 0 : count.get();
    }

    /** Waits until the count of {@code key} reaches {@code count}: the application's load has run. */
    public static void await(String key, long count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (get(key) < count) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("only " + get(key) + " of " + count + " '" + key + "' within " + timeout);
            }
            Thread.sleep(10);
        }
    }

    /** Prints the counts whose keys start with {@code prefix}, and then those of each further prefix. */
    public static void print(String prefix, String... morePrefixes) {
        Map<String, AtomicLong> sorted = new TreeMap<>(COUNTS);
        print(sorted, prefix);
        for (String more : morePrefixes) {
            print(sorted, more);
        }
    }

    private static void print(Map<String, AtomicLong> counts, String prefix) {
        counts.forEach((key, count) -> {
            if (key.startsWith(prefix)) {
                System.out.println("truth " + key + " " + count.get());
            }
        });
    }
}
