package dev.flowmeter.bench;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.lang.management.ManagementFactory;

/**
 * A JVM with many series, for the suite to scrape: {@code flowmeter N} calls {@link Work#scraped}
 * with N distinct keys (the agent, started with the rule {@code bench_scraped}, counts one series
 * per key); {@code hand N PORT} makes the same counter by hand with client_java and serves it with
 * client_java's HTTPServer on PORT. Prints the heap in use after a full GC before and after the
 * series exist, then serves until killed.
 */
public final class ScrapeTarget {

    private ScrapeTarget() {}

    public static void main(String[] args) throws IOException, InterruptedException {
        int series = Integer.parseInt(args[1]);
        Work work = new Work();
        Counter counter = null;
        // The first series pays for what any first series loads (classes, resolved expressions).
        if ("hand".equals(args[0])) {
            PrometheusRegistry registry = new PrometheusRegistry();
            counter = Counter.builder().name("bench_scraped").labelNames("key").withoutExemplars().register(registry);
            counter.labelValues("s0").inc();
            HTTPServer.builder().port(Integer.parseInt(args[2])).registry(registry).buildAndStart();
        } else {
            work.scraped("s0");
        }
        long before = usedAfterGc();
        for (int i = 1; i < series; i++) {
            String key = "s" + i;
            if (counter != null) {
                counter.labelValues(key).inc();
            } else {
                work.scraped(key);
            }
        }
        long after = usedAfterGc();
        System.out.println("scrape-target: ready " + (series - 1) + " series, heap " + before + " -> " + after);
        Thread.sleep(Long.MAX_VALUE);
    }

    private static long usedAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
