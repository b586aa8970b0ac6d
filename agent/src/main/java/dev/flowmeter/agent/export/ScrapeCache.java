package dev.flowmeter.agent.export;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.registry.PrometheusScrapeRequest;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * What the metrics server scrapes when {@code scrape_cache} is set: the agent's registry, collected
 * at most once per period, every scrape within it answered from that collection (with its name
 * filter, if it asks for some metrics only). For JVMs whose gauges walk many live objects, or that
 * several Prometheus servers scrape. Collectors register with the agent's registry, not here.
 */
final class ScrapeCache extends PrometheusRegistry {

    private final PrometheusRegistry registry;
    private final long periodNanos;
    private MetricSnapshots collected;
    private long collectedAt;

    ScrapeCache(PrometheusRegistry registry, Duration period) {
        this.registry = registry;
        this.periodNanos = period.toNanos();
    }

    @Override
    public MetricSnapshots scrape() {
        return collected();
    }

    @Override
    public MetricSnapshots scrape(PrometheusScrapeRequest request) {
        return collected();
    }

    @Override
    public MetricSnapshots scrape(Predicate<String> includedNames) {
        return scrape(includedNames, null);
    }

    @Override
    public MetricSnapshots scrape(Predicate<String> includedNames, PrometheusScrapeRequest request) {
        if (includedNames == null) {
            return collected();
        }
        List<MetricSnapshot> included = new ArrayList<>();
        for (MetricSnapshot snapshot : collected()) {
            if (includedNames.test(snapshot.getMetadata().getPrometheusName())) {
                included.add(snapshot);
            }
        }
        return new MetricSnapshots(included);
    }

    private synchronized MetricSnapshots collected() {
        long now = System.nanoTime();
        if (collected == null || now - collectedAt >= periodNanos) {
            collected = registry.scrape();
            collectedAt = now;
        }
        return collected;
    }
}
