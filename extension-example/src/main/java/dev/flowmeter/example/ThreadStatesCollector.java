package dev.flowmeter.example;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot.InfoDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricFamilyDescriptor;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The JVM's live threads by state, and which Java runs them: numbers known only when a scrape asks,
 * read from the JDK's management API. An extension sees the JDK and client_java, never the
 * application's classes, so this is also how one reaches an application's own numbers: through the
 * MBeans it registers, with {@link ManagementFactory#getPlatformMBeanServer()}.
 */
public final class ThreadStatesCollector implements MultiCollector {

    private static final String THREADS = "example_extension_threads";
    private static final String THREADS_HELP = "Live threads of the JVM, by state";
    private static final String INFO = "example_extension";
    private static final String INFO_HELP = "The Java version running the example extension";

    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();

    @Override
    public MetricSnapshots collect() {
        Map<Thread.State, Integer> byState = new EnumMap<>(Thread.State.class);
        for (ThreadInfo thread : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (thread != null) { // null: the thread ended after its id was read
                byState.merge(thread.getThreadState(), 1, Integer::sum);
            }
        }
        GaugeSnapshot.Builder gauge = GaugeSnapshot.builder().name(THREADS).help(THREADS_HELP);
        byState.forEach((state, count) -> gauge.dataPoint(GaugeDataPointSnapshot.builder()
                .labels(Labels.of("state", state.name()))
                .value(count)
                .build()));
        InfoSnapshot info = InfoSnapshot.builder().name(INFO).help(INFO_HELP)
                .dataPoint(InfoDataPointSnapshot.builder()
                        .labels(Labels.of("java_version", System.getProperty("java.version")))
                        .build())
                .build();
        return MetricSnapshots.of(gauge.build(), info);
    }

    /** Declared up front, so that a name already taken is refused when the agent loads the extension. */
    @Override
    public List<MetricFamilyDescriptor> getMetricFamilyDescriptors() {
        return List.of(
                MetricFamilyDescriptor.gauge(THREADS).help(THREADS_HELP).labelNames("state").build(),
                MetricFamilyDescriptor.info(INFO).help(INFO_HELP).labelNames("java_version").build());
    }
}
