package dev.flowmeter.agent.export;

import dev.flowmeter.agent.metrics.Metrics;
import dev.flowmeter.agent.report.Report;
import io.prometheus.metrics.model.registry.MetricType;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.Exemplars;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricFamilyDescriptor;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.NativeHistogramBuckets;
import io.prometheus.metrics.model.snapshots.Quantile;
import io.prometheus.metrics.model.snapshots.Quantiles;
import io.prometheus.metrics.model.snapshots.StateSetSnapshot;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;
import io.prometheus.metrics.model.snapshots.Unit;
import io.prometheus.metrics.model.snapshots.UnknownSnapshot;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.net.MalformedURLException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * Loads the user's collectors from {@code extensions=} jars and serves their metrics.
 *
 * <p>Extensions are written against the public client_java API, but the agent's registry takes its
 * relocated copy, a different set of classes. So the agent jar carries the unrelocated API as nested
 * jars; each extension gets a class loader over them (and nothing of the application's), and an
 * adapter copies its snapshots into the relocated types, by reflection, at every scrape.
 */
public final class Extensions {

    private static final String API_JARS = "dev/flowmeter/agent/extension-api/";
    /** Joined at run time: the shade plugin rewrites constants naming io.prometheus classes to their relocated names. */
    private static final String REGISTRY = String.join(".", "io", "prometheus", "metrics", "model", "registry");
    private static final String MULTI_COLLECTOR = REGISTRY + ".MultiCollector";
    private static final String COLLECTOR = REGISTRY + ".Collector";

    private Extensions() {}

    public static void load(List<String> jars, Metrics metrics, Introspection introspection) {
        if (jars.isEmpty()) {
            return;
        }
        Class<?> multiCollector;
        Class<?> collector;
        try {
            ClassLoader api = apiLoader();
            multiCollector = Class.forName(MULTI_COLLECTOR, false, api);
            collector = Class.forName(COLLECTOR, false, api);
        } catch (IOException | URISyntaxException | ClassNotFoundException | RuntimeException unavailable) {
            for (String jar : jars) {
                skip(jar, "the agent cannot unpack client_java for extensions (" + unavailable
                        + "); java.io.tmpdir must be a writable directory", introspection);
            }
            return;
        }
        for (String jar : jars) {
            try {
                introspection.addExtension(jar, "loaded", register(jar, multiCollector, collector, metrics));
            } catch (Skipped skipped) {
                skip(jar, skipped.getMessage(), introspection);
            }
        }
    }

    private static void skip(String jar, String why, Introspection introspection) {
        Report.line("extension " + jar + " skipped: " + why);
        introspection.addExtension(jar, "skipped: " + why, List.of());
    }

    /** The nested API jars, unpacked: a class loader reads classes from files only. */
    private static ClassLoader apiLoader() throws IOException, URISyntaxException {
        File agentJar = new File(Extensions.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path directory = Files.createTempDirectory("flowmeter-extension-api");
        directory.toFile().deleteOnExit();
        List<URL> urls = new ArrayList<>();
        try (JarFile agent = new JarFile(agentJar)) {
            for (JarEntry entry : Collections.list(agent.entries())) {
                String name = entry.getName();
                if (name.startsWith(API_JARS) && name.endsWith(".jar")) {
                    Path file = directory.resolve(name.substring(API_JARS.length()));
                    file.toFile().deleteOnExit();
                    try (InputStream in = agent.getInputStream(entry)) {
                        Files.copy(in, file);
                    }
                    urls.add(file.toUri().toURL());
                }
            }
        }
        // The platform loader as parent: extensions see the JDK and client_java, never the agent's or the application's classes.
        return new URLClassLoader(urls.toArray(new URL[0]), ClassLoader.getPlatformClassLoader());
    }

    /** Registers every collector of {@code jar}, or none, and returns their class names. */
    private static List<String> register(String jar, Class<?> multiCollector, Class<?> collector, Metrics metrics)
            throws Skipped {
        Path path;
        URL url;
        try {
            path = Path.of(jar);
            url = path.toUri().toURL();
        } catch (InvalidPathException | MalformedURLException unusable) {
            throw new Skipped("not a usable path (" + unusable.getMessage() + "); correct it in extensions=");
        }
        if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
            throw new Skipped("no readable jar at this path; correct it in extensions=");
        }
        URLClassLoader loader = new URLClassLoader(new URL[] {url}, multiCollector.getClassLoader());
        String rule = "extension:" + path.getFileName();
        List<Adapter> adapters = new ArrayList<>();
        try {
            for (Object found : ServiceLoader.load(multiCollector, loader)) {
                adapters.add(new Adapter(jar, rule, found, true, metrics));
            }
            for (Object found : ServiceLoader.load(collector, loader)) {
                adapters.add(new Adapter(jar, rule, found, false, metrics));
            }
        } catch (ServiceConfigurationError | LinkageError broken) {
            close(loader);
            String why = broken.getMessage() + (broken.getCause() == null ? "" : ": " + broken.getCause());
            throw new Skipped("a collector cannot be loaded (" + why + "); it must implement "
                    + MULTI_COLLECTOR + " or " + COLLECTOR + " and have a public no-argument constructor, and the"
                    + " jar must contain every class it needs except client_java's");
        }
        if (adapters.isEmpty()) {
            close(loader);
            throw new Skipped("it declares no collector; list the collector classes in META-INF/services/"
                    + MULTI_COLLECTOR + " or META-INF/services/" + COLLECTOR);
        }
        List<String> names = new ArrayList<>();
        for (Adapter adapter : adapters) {
            try {
                metrics.register(adapter);
            } catch (RuntimeException rejected) {
                adapters.subList(0, names.size()).forEach(metrics.registry()::unregister);
                close(loader);
                throw new Skipped("cannot register " + adapter.className() + " (" + rejected
                        + "); a metric it declares must not have the name of one already served");
            }
            names.add(adapter.className());
        }
        return names;
    }

    private static void close(URLClassLoader loader) {
        try {
            loader.close();
        } catch (IOException ignored) {
            // only releases the jar file early; it is released at exit anyway
        }
    }

    /** Why an extension was skipped, and what to change. */
    private static final class Skipped extends Exception {
        Skipped(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * One extension collector, a {@code MultiCollector} or a {@code Collector} of the unrelocated API,
     * as a relocated {@link MultiCollector}. Getters are called by name: both APIs have the same ones.
     */
    private static final class Adapter implements MultiCollector {

        private final String jar;
        private final String rule;
        private final Object collector;
        private final boolean multi;
        private final Runnable errors;

        Adapter(String jar, String rule, Object collector, boolean multi, Metrics metrics) {
            this.jar = jar;
            this.rule = rule;
            this.collector = collector;
            this.multi = multi;
            this.errors = metrics.adviceErrorCounter(rule);
        }

        String className() {
            return collector.getClass().getName();
        }

        @Override
        public MetricSnapshots collect() {
            try {
                List<MetricSnapshot> snapshots = new ArrayList<>();
                for (Object snapshot : each(get(collector, "collect"))) {
                    snapshots.add(snapshot(snapshot));
                }
                return new MetricSnapshots(snapshots);
            } catch (ReflectiveOperationException | RuntimeException failure) {
                // One bad extension must not fail the scrape of everything else.
                errors.run();
                Report.once("extension failed: " + jar, "extension " + jar + " failed at scrape time: " + cause(failure)
                        + "; its metrics are left out while it fails, which flowmeter_advice_errors_total{rule=\""
                        + rule + "\"} counts");
                return MetricSnapshots.of();
            }
        }

        /** What the extension declares, so that the registry rejects a name the agent already serves. */
        @Override
        @SuppressWarnings("unchecked")
        public List<MetricFamilyDescriptor> getMetricFamilyDescriptors() {
            try {
                List<MetricFamilyDescriptor> descriptors = new ArrayList<>();
                for (Object descriptor : each(get(collector, multi ? "getMetricFamilyDescriptors" : "getMetricFamilyDescriptor"))) {
                    descriptors.add(MetricFamilyDescriptor.of(
                            MetricType.valueOf(((Enum<?>) get(descriptor, "getType")).name()),
                            metadata(get(descriptor, "getMetadata")), (Set<String>) get(descriptor, "getLabelNames")));
                }
                return descriptors;
            } catch (ReflectiveOperationException failure) {
                throw new IllegalArgumentException("its metric declarations cannot be read: " + cause(failure), failure);
            }
        }

        /** A MultiCollector's result is a collection; a Collector's is one item, or null for none. */
        private Iterable<?> each(Object result) {
            return multi ? (Iterable<?>) result : result == null ? List.of() : List.of(result);
        }
    }

    private static MetricSnapshot snapshot(Object snapshot) throws ReflectiveOperationException {
        MetricMetadata metadata = metadata(get(snapshot, "getMetadata"));
        Iterable<?> points = (Iterable<?>) get(snapshot, "getDataPoints");
        switch (snapshot.getClass().getSimpleName()) {
            case "CounterSnapshot":
                List<CounterSnapshot.CounterDataPointSnapshot> counters = new ArrayList<>();
                for (Object point : points) {
                    counters.add(new CounterSnapshot.CounterDataPointSnapshot((double) get(point, "getValue"),
                            labels(point), null, created(point), scraped(point)));
                }
                return new CounterSnapshot(metadata, counters);
            case "GaugeSnapshot":
                List<GaugeSnapshot.GaugeDataPointSnapshot> gauges = new ArrayList<>();
                for (Object point : points) {
                    gauges.add(new GaugeSnapshot.GaugeDataPointSnapshot((double) get(point, "getValue"),
                            labels(point), null, scraped(point)));
                }
                return new GaugeSnapshot(metadata, gauges);
            case "InfoSnapshot":
                List<InfoSnapshot.InfoDataPointSnapshot> infos = new ArrayList<>();
                for (Object point : points) {
                    infos.add(new InfoSnapshot.InfoDataPointSnapshot(labels(point), scraped(point)));
                }
                return new InfoSnapshot(metadata, infos);
            case "StateSetSnapshot":
                List<StateSetSnapshot.StateSetDataPointSnapshot> stateSets = new ArrayList<>();
                for (Object point : points) {
                    int size = (int) get(point, "size");
                    String[] names = new String[size];
                    boolean[] values = new boolean[size];
                    int i = 0;
                    for (Object state : (Iterable<?>) point) {
                        names[i] = (String) get(state, "getName");
                        values[i++] = (boolean) get(state, "isTrue");
                    }
                    stateSets.add(new StateSetSnapshot.StateSetDataPointSnapshot(names, values, labels(point),
                            scraped(point)));
                }
                return new StateSetSnapshot(metadata, stateSets);
            case "UnknownSnapshot":
                List<UnknownSnapshot.UnknownDataPointSnapshot> unknowns = new ArrayList<>();
                for (Object point : points) {
                    unknowns.add(new UnknownSnapshot.UnknownDataPointSnapshot((double) get(point, "getValue"),
                            labels(point), null, scraped(point)));
                }
                return new UnknownSnapshot(metadata, unknowns);
            case "SummarySnapshot":
                List<SummarySnapshot.SummaryDataPointSnapshot> summaries = new ArrayList<>();
                for (Object point : points) {
                    List<Quantile> quantiles = new ArrayList<>();
                    for (Object quantile : (Iterable<?>) get(point, "getQuantiles")) {
                        quantiles.add(new Quantile((double) get(quantile, "getQuantile"), (double) get(quantile, "getValue")));
                    }
                    summaries.add(new SummarySnapshot.SummaryDataPointSnapshot((long) get(point, "getCount"),
                            (double) get(point, "getSum"), Quantiles.of(quantiles), labels(point), Exemplars.EMPTY,
                            created(point), scraped(point)));
                }
                return new SummarySnapshot(metadata, summaries);
            case "HistogramSnapshot":
                List<HistogramSnapshot.HistogramDataPointSnapshot> histograms = new ArrayList<>();
                for (Object point : points) {
                    // Native buckets are left out: the agent serves classic histograms only.
                    if ((boolean) get(point, "hasClassicHistogramData")) {
                        histograms.add(new HistogramSnapshot.HistogramDataPointSnapshot(classicBuckets(point),
                                HistogramSnapshot.CLASSIC_HISTOGRAM, 0, 0, NativeHistogramBuckets.EMPTY,
                                NativeHistogramBuckets.EMPTY, (double) get(point, "getSum"), labels(point),
                                Exemplars.EMPTY, created(point), scraped(point)));
                    }
                }
                return new HistogramSnapshot((boolean) get(snapshot, "isGaugeHistogram"), metadata, histograms);
            default:
                throw new IllegalArgumentException("unsupported snapshot type " + snapshot.getClass().getName());
        }
    }

    private static ClassicHistogramBuckets classicBuckets(Object point) throws ReflectiveOperationException {
        List<Double> bounds = new ArrayList<>();
        List<Long> counts = new ArrayList<>();
        for (Object bucket : (Iterable<?>) get(point, "getClassicBuckets")) {
            bounds.add((double) get(bucket, "getUpperBound"));
            counts.add((long) get(bucket, "getCount"));
        }
        return ClassicHistogramBuckets.of(bounds, counts);
    }

    /** Copied whole, exposition and original names included, so that the name is served exactly as the extension gave it. */
    @SuppressWarnings("deprecation")
    private static MetricMetadata metadata(Object metadata) throws ReflectiveOperationException {
        Object unit = get(metadata, "getUnit");
        return new MetricMetadata((String) get(metadata, "getName"), (String) get(metadata, "getExpositionBaseName"),
                (String) get(metadata, "getOriginalName"), (String) get(metadata, "getHelp"),
                unit == null ? null : new Unit(unit.toString()));
    }

    private static Labels labels(Object point) throws ReflectiveOperationException {
        List<String> names = new ArrayList<>();
        List<String> values = new ArrayList<>();
        for (Object label : (Iterable<?>) get(point, "getLabels")) {
            names.add((String) get(label, "getName"));
            values.add((String) get(label, "getValue"));
        }
        return Labels.of(names, values);
    }

    private static long created(Object point) throws ReflectiveOperationException {
        return (long) get(point, "getCreatedTimestampMillis");
    }

    private static long scraped(Object point) throws ReflectiveOperationException {
        return (long) get(point, "getScrapeTimestampMillis");
    }

    /** What the extension threw, rather than the reflection that carried it. */
    private static Throwable cause(Throwable failure) {
        return failure instanceof InvocationTargetException ? failure.getCause() : failure;
    }

    private static Object get(Object target, String getter) throws ReflectiveOperationException {
        return target.getClass().getMethod(getter).invoke(target);
    }
}
