package dev.flowmeter.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.ToDoubleFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.util.Statistics;

/**
 * The benchmark suite: Flowmeter beside no agent, hand-written client_java code and the
 * OpenTelemetry Java agent, every figure measured in this one run on the same JVM flags, written
 * to a Markdown table. Run from the project's root after {@code mvn -B -DskipTests package}; builds
 * nothing itself. {@code bash bench/run} is the one command; arguments name the parts to run
 * ({@code calls http startup scrape throughput}, all by default).
 */
public final class Suite {

    /** Every JVM the suite starts, benchmarks' forks and applications alike, gets these flags. */
    static final List<String> JVM_FLAGS = List.of("-Xms512m", "-Xmx512m", "-XX:+UseG1GC");
    static final List<String> PARTS = List.of("calls", "http", "startup", "scrape", "throughput");

    static final List<String> HTTP_CONFIGS = List.of("none", "flowmeter", "otel");
    /**
     * Short slices, many cycles: the loopback's latency drifts over seconds, together in all the
     * JVMs, so slices a few hundred milliseconds apart differ less than slices seconds apart.
     */
    static final int HTTP_SLICE_MS = 100;
    /**
     * The clients that share JVMs. The in-memory client has JVMs of its own: in a JVM that also
     * sends loopback requests, OkHttp's code is compiled for two kinds of socket, and what Flowmeter
     * adds to an in-memory call measured half of what it adds where those are the only calls
     * (0.16 against 0.33 µs).
     */
    static final List<List<String>> HTTP_CLIENT_GROUPS = List.of(List.of("jdkHttpClient", "okHttp"), List.of("okHttpInMemory"));
    static final int HTTP_SETS = 3;
    static final int HTTP_WARMUP_CYCLES = 30;
    /** Measured cycles per set. */
    static final int HTTP_CYCLES = 120;
    /** Forks per JMH configuration: how the JIT compiles the same code can differ from one JVM to the next. */
    static final int JMH_FORKS = 2;
    /**
     * Pairs of test-app runs without an agent and with Flowmeter; the OpenTelemetry agent, seconds
     * away from its target's edge, runs in the first few pairs only.
     */
    static final int STARTUP_RUNS = 15;
    static final int STARTUP_OTEL_RUNS = 5;
    static final int STARTUP_ENDPOINT_RUNS = 5;
    static final int SCRAPE_SERIES = 10_000;
    static final int SCRAPE_WARMUP = 5;
    static final int SCRAPES = 21;
    static final int THROUGHPUT_RUNS = 4;
    static final int THROUGHPUT_IN_FLIGHT = 64;
    static final int THROUGHPUT_WARMUP = 3000;
    static final int THROUGHPUT_MEASURED = 8000;

    private final Path agentJar = Path.of("agent/target/flowmeter-agent.jar").toAbsolutePath();
    private final Path otelJar = Path.of("bench/target/opentelemetry-javaagent.jar").toAbsolutePath();
    private final Path testAppJar = Path.of("test-app/target/flowmeter-test-app.jar").toAbsolutePath();
    private final Path callRules = Path.of("bench/rules/calls.yaml").toAbsolutePath();
    private final Path testAppRules = Path.of("src/rules/test-app.yaml").toAbsolutePath();
    private final Path logs = Path.of("bench/target/suite-logs").toAbsolutePath();
    private final String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    private final String classPath = System.getProperty("java.class.path");
    private final Properties versions = new Properties();
    private final Report report = new Report();
    /** The weave cache that Flowmeter's restarts in the start-up part share. */
    private Path weaveCache;

    public static void main(String[] args) throws Exception {
        Set<String> parts = new LinkedHashSet<>(args.length == 0 ? PARTS : Arrays.asList(args));
        if (!PARTS.containsAll(parts)) {
            System.err.println("usage: Suite [" + String.join("|", PARTS) + "]...");
            System.exit(2);
        }
        new Suite().run(parts, Path.of("bench/results.md"));
    }

    private void run(Set<String> parts, Path output) throws Exception {
        for (Path jar : List.of(agentJar, otelJar, testAppJar, callRules, testAppRules)) {
            if (!Files.exists(jar)) {
                throw new IllegalStateException(jar + " is missing: run mvn -B -DskipTests package from the project's root");
            }
        }
        Files.createDirectories(logs);
        try (InputStream in = Suite.class.getResourceAsStream("/bench-versions.properties")) {
            versions.load(in);
        }
        long start = System.nanoTime();
        String loadBefore = loadAverage();
        if (parts.contains("calls")) {
            calls();
        }
        if (parts.contains("http")) {
            http();
        }
        if (parts.contains("startup")) {
            startup();
        }
        if (parts.contains("scrape")) {
            scrape();
        }
        if (parts.contains("throughput")) {
            throughput();
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        String markdown = report.markdown(header(took, loadBefore, loadAverage(), parts));
        Files.writeString(output, markdown);
        System.out.println(markdown);
        System.out.println("suite: wrote " + output + " in " + took.toMinutes() + " min " + took.toSecondsPart() + " s");
    }

    // ---------------------------------------------------------------- 1. instrumented call

    private void calls() throws RunnerException {
        String otelArguments = "-Dotel.instrumentation.methods.include=" + Work.class.getName() + "[plain,labelled,fails]";
        List<String> otel = List.of("-javaagent:" + otelJar, otelArguments,
                "-Dotel.traces.exporter=none", "-Dotel.metrics.exporter=none", "-Dotel.logs.exporter=none");
        String direct = CallBenchmark.class.getName() + "\\.(plain|labelled|fails)$";
        Map<String, Score> none = jmh("calls-none", CallBenchmark.class.getName() + "\\.", List.of(), true, CLASSIC);
        Map<String, Score> withFlowmeter = jmh("calls-flowmeter", direct, flowmeter(CLASSIC), true, CLASSIC);
        Map<String, Score> withOtel = jmh("calls-otel", direct, otel, true, CLASSIC);
        Report.Section section = report.section("1. Instrumented call",
                "A small method called in a JMH loop (3 warm-up and 5 measurement iterations of 1 s, " + JMH_FORKS
                        + " forks per configuration; the median iteration, ± half the iterations' range). *Added* is the time per call over the same call without an agent, in"
                        + " the same run; B/op is JMH's `gc.alloc.rate.norm` (`-prof gc`). Flowmeter instruments"
                        + " the method with a rule (`bench/rules/calls.yaml`: timer and error counter); the"
                        + " OpenTelemetry agent with `otel.instrumentation.methods.include` (a span per call, no"
                        + " labels; exporters `none`); hand-written is client_java with cached data points."
                        + " The rows marked native and both are Flowmeter with `histograms=native` and `histograms=both`"
                        + " beside hand-written code whose histograms are client_java's `nativeOnly()` and its default"
                        + " (classic and native), over the same no-agent figure.",
                "| method | no agent | hand-written: added, B/op | Flowmeter: added, B/op | OpenTelemetry agent: added, B/op | Flowmeter / hand-written | target: ≤ 1.2 × hand-written, 0 B/op |",
                "|---|---|---|---|---|---|---|");
        for (String method : METHODS) {
            callRow(section, method, none.get(method), none.get(hand(method)), withFlowmeter.get(method),
                    added(withOtel.get(method), none.get(method)) + ", " + bytes(withOtel.get(method)));
        }
        for (String histograms : List.of("native", "both")) {
            Map<String, Score> hand = jmh("calls-hand-" + histograms, CallBenchmark.class.getName() + "\\.hand", List.of(),
                    true, histograms);
            Map<String, Score> flowmeter = jmh("calls-flowmeter-" + histograms, direct, flowmeter(histograms), true,
                    histograms);
            for (String method : METHODS) {
                callRow(section, method + " (" + histograms + ")", none.get(method), hand.get(hand(method)),
                        flowmeter.get(method), "");
            }
        }
        namings(none);
    }

    /**
     * A call of a rule with a built-in role under each naming: the same probe and data points, with
     * other label names, so the same cost.
     */
    private void namings(Map<String, Score> none) throws RunnerException {
        String include = CallBenchmark.class.getName() + "\\.update$";
        Map<String, Score> prometheus = jmh("naming-prometheus", include, flowmeter(CLASSIC, "prometheus"), true, CLASSIC);
        Map<String, Score> conductor = jmh("naming-conductor", include, flowmeter(CLASSIC, "conductor"), true, CLASSIC);
        Report.Section section = report.section("1b. Instrumented call, by naming",
                "`Work#update` under a rule with the built-in role `task_update` (timer and error counter by"
                        + " `task_type`), measured as in 1, with `naming=prometheus` (the default) and"
                        + " `naming=conductor` (the labels `taskType`, `status`, `exception`).",
                "| method | no agent | naming=prometheus: added, B/op | naming=conductor: added, B/op | conductor / prometheus | target: ≤ 1.2 ×, 0 B/op |",
                "|---|---|---|---|---|---|");
        Score base = none.get("update");
        Score byDefault = prometheus.get("update");
        Score renamed = conductor.get("update");
        double ratio = (renamed.score - base.score) / (byDefault.score - base.score);
        boolean met = ratio <= 1.2 && renamed.bytes < 0.5;
        section.row("update", ns(base), added(byDefault, base) + ", " + bytes(byDefault),
                added(renamed, base) + ", " + bytes(renamed), String.format(Locale.ROOT, "%.2f", ratio), verdict(met));
        report.target("Instrumented call of a role: naming=conductor's added ns/op ≤ 1.2 × the default naming's, 0 B/op",
                String.format(Locale.ROOT, "%.1f ns vs %.1f ns (%.2f ×), %s", renamed.score - base.score,
                        byDefault.score - base.score, ratio, bytes(renamed)), met);
    }

    private static final String CLASSIC = "classic";
    private static final List<String> METHODS = List.of("plain", "labelled", "fails");

    private List<String> flowmeter(String histograms) {
        return flowmeter(histograms, "prometheus");
    }

    private List<String> flowmeter(String histograms, String naming) {
        return List.of("-javaagent:" + agentJar + "=port=off,histograms=" + histograms + ",naming=" + naming
                + ",config=" + callRules);
    }

    /** The hand-written benchmark of a method: {@code handPlain} for {@code plain}. */
    private static String hand(String method) {
        return "hand" + Character.toUpperCase(method.charAt(0)) + method.substring(1);
    }

    private void callRow(Report.Section section, String row, Score base, Score hand, Score flow, String otel) {
        double handAdded = hand.score - base.score;
        double flowAdded = flow.score - base.score;
        double ratio = flowAdded / handAdded;
        boolean met = ratio <= 1.2 && flow.bytes < 0.5;
        section.row(row, ns(base), added(hand, base) + ", " + bytes(hand), added(flow, base) + ", " + bytes(flow),
                otel, String.format(Locale.ROOT, "%.2f", ratio), verdict(met));
        report.target("Instrumented call `" + row + "`: Flowmeter's added ns/op ≤ 1.2 × hand-written's, 0 B/op",
                String.format(Locale.ROOT, "%.1f ns vs %.1f ns (%.2f ×), %s", flowAdded, handAdded, ratio, bytes(flow)), met);
    }

    // ---------------------------------------------------------------- 2. HTTP client call

    /** One slice of requests in one JVM: per request, the median wall time, CPU time and bytes allocated. */
    record Slice(double latency, double cpu, double bytes) {}

    private void http() throws IOException {
        // config -> client -> one slice per measured cycle, in cycle order, over all sets
        Map<String, Map<String, List<Slice>>> slices = new HashMap<>();
        List<String> csv = new ArrayList<>(List.of("set,cycle,client,config,requests,median_ns,cpu_ns_per_request,bytes_per_request"));
        for (List<String> clients : HTTP_CLIENT_GROUPS) {
            httpSets(clients, slices, csv);
        }
        Files.write(logs.resolve("http-slices.csv"), csv);
        int measured = HTTP_SETS * HTTP_CYCLES;
        int cut = signTestCut(measured);
        String confidence = String.format(Locale.ROOT, "%.1f", 100 * signTestConfidence(measured, cut));
        Report.Section section = report.section("2. HTTP client call",
                "A GET on a kept-alive connection, answered with 2 bytes, from `HttpLoad` (the requests are in"
                        + " `Requests`): `jdkHttpClient` and `okHttp` to a loopback server (raw sockets, so that only the"
                        + " clients are instrumented; a thread per connection, blocking IO), the JDK's client with an"
                        + " executor that runs its tasks where they arise (the response is handled on its selector"
                        + " thread, not handed to a pool thread: two thread hand-offs fewer, and much less noise);"
                        + " `okHttpInMemory`, OkHttp over a socket that answers from memory on the calling thread"
                        + " (all of OkHttp's own code runs, no kernel and no other thread), which resolves what an"
                        + " agent adds to a call to a few nanoseconds where the loopback's scheduling noise is"
                        + " microseconds; it runs in JVMs of its own (in a JVM that also sends loopback requests,"
                        + " OkHttp's code is compiled for two kinds of socket, and Flowmeter's addition measured half as"
                        + " much). One JVM per configuration, all started at once, taking turns in slices of " + HTTP_SLICE_MS
                        + " ms of back-to-back requests, each client in turn, the three configurations in an order"
                        + " that turns from cycle to cycle; " + HTTP_WARMUP_CYCLES + " cycles of warm-up, then "
                        + HTTP_CYCLES + " measured; " + HTTP_SETS + " such sets of JVMs one after another, since how"
                        + " the JIT compiles a JVM varies from one to the next. So the configurations compared run"
                        + " within a second of each other, under the same load from whatever else runs on the machine. Per slice: the *median request*'s wall time,"
                        + " the *CPU time* per request (the JVM's process CPU time over its requests: all threads, the"
                        + " client's, the server's, the agent's, GC and JIT: what a request costs the machine) and the bytes all threads allocated per request. *Added* is a slice's"
                        + " figure minus that of the slice without an agent in the same cycle; each cell gives the"
                        + " median over the cycles and, in brackets, its " + confidence + " % confidence interval (sign"
                        + " test: the " + (cut + 1) + "th lowest and highest of " + measured + " cycles; cycles of one set"
                        + " share their JVMs, so this interval is narrower than one over independent JVMs would be:"
                        + " the medians per set are below the table). The target, taken"
                        + " cycle by cycle as Flowmeter's added figure minus a third of the OpenTelemetry agent's, is"
                        + " met when that interval lies below zero and so does the median of every set, missed when both"
                        + " lie above, and inconclusive otherwise. Flowmeter with its built-in `jdk-httpclient` and `okhttp` instrumentations (no"
                        + " rules file); the OpenTelemetry agent with its defaults and the Prometheus exporter, so that"
                        + " it records `http.client.request.duration` (and a span, exported nowhere). Every slice is in"
                        + " `bench/target/suite-logs/http-slices.csv`.",
                "| client | per request | no agent | Flowmeter: added | OpenTelemetry agent: added | Flowmeter / OpenTelemetry | target: ≤ 1/3 |",
                "|---|---|---|---|---|---|---|");
        List<String> perSet = new ArrayList<>();
        // In the order measured, so that the report never names a client no JVM sent.
        for (String client : HTTP_CLIENT_GROUPS.stream().flatMap(List::stream).collect(Collectors.toList())) {
            List<Slice> base = slices.get("none").get(client);
            List<Slice> flow = slices.get("flowmeter").get(client);
            List<Slice> ot = slices.get("otel").get(client);
            for (String measure : List.of("latency", "CPU time")) {
                ToDoubleFunction<Slice> figure = measure.equals("latency") ? Slice::latency : Slice::cpu;
                double[] flowAdded = added(flow, base, figure);
                double[] otAdded = added(ot, base, figure);
                double[] margin = new double[measured];
                for (int cycle = 0; cycle < measured; cycle++) {
                    margin[cycle] = flowAdded[cycle] - otAdded[cycle] / 3;
                }
                double[] interval = interval(margin, cut);
                // The interval pools cycles that share JVMs; a verdict also needs every set of JVMs to agree.
                double[] setMargins = setMedians(margin);
                boolean below = interval[1] < 0 && maxOf(setMargins) < 0;
                boolean above = interval[0] > 0 && minOf(setMargins) > 0;
                String verdict = below ? verdict(true) : above ? verdict(false)
                        : "inconclusive (Flowmeter's added minus a third of OpenTelemetry's: " + estimate(margin, cut, "µs", true)
                                + "; per set " + perSet(margin, "%+.2f") + ")";
                double ratio = medianOf(flowAdded) / medianOf(otAdded);
                section.row(client, measure.equals("latency") ? "median request" : "CPU time",
                        estimate(base.stream().mapToDouble(figure).toArray(), cut, "µs", false),
                        estimate(flowAdded, cut, "µs", true), estimate(otAdded, cut, "µs", true),
                        String.format(Locale.ROOT, "%.2f", ratio), verdict);
                report.target("HTTP call `" + client + "`: Flowmeter's added " + (measure.equals("latency")
                                ? "latency (median request)" : "CPU time per request") + " ≤ 1/3 of the OpenTelemetry agent's",
                        String.format(Locale.ROOT, "%s vs %s (%.2f)", estimate(flowAdded, cut, "µs", true),
                                estimate(otAdded, cut, "µs", true), ratio), verdict);
            }
            section.row(client, "allocated", estimate(base.stream().mapToDouble(Slice::bytes).toArray(), cut, "B", false),
                    estimate(added(flow, base, Slice::bytes), cut, "B", true),
                    estimate(added(ot, base, Slice::bytes), cut, "B", true), "", "");
            perSet.add("| " + client + " | " + perSet(added(flow, base, Slice::latency), "%+.2f") + " | "
                    + perSet(added(ot, base, Slice::latency), "%+.2f") + " | " + perSet(added(flow, base, Slice::cpu), "%+.2f")
                    + " | " + perSet(added(ot, base, Slice::cpu), "%+.2f") + " | " + perSet(added(flow, base, Slice::bytes), "%+.0f")
                    + " | " + perSet(added(ot, base, Slice::bytes), "%+.0f") + " |");
        }
        section.lines().add("");
        section.lines().add("Added per set of JVMs (median over its cycles), set by set:");
        section.lines().add("");
        section.lines().add("| client | Flowmeter: median request, µs | OpenTelemetry: median request, µs | Flowmeter: CPU time, µs"
                + " | OpenTelemetry: CPU time, µs | Flowmeter: B | OpenTelemetry: B |");
        section.lines().add("|---|---|---|---|---|---|---|");
        section.lines().addAll(perSet);
    }

    /** Sets of JVMs one after another, each configuration's JVM sending {@code clients}' requests in turn. */
    private void httpSets(List<String> clients, Map<String, Map<String, List<Slice>>> slices, List<String> csv) throws IOException {
        // Sets of JVMs one after another: how the JIT compiled a JVM varies from one to the next, and
        // one JVM per configuration would leave that out of the intervals.
        for (int set = 0; set < HTTP_SETS; set++) {
            Map<String, LoadJvm> jvms = new LinkedHashMap<>();
            try {
                for (String config : HTTP_CONFIGS) {
                    List<String> command = new ArrayList<>(List.of(java));
                    command.addAll(JVM_FLAGS);
                    command.addAll(switch (config) {
                        case "flowmeter" -> List.of("-javaagent:" + agentJar + "=port=" + freePort());
                        // A metrics reader, so that the agent records http.client.request.duration, as Flowmeter records its timer.
                        case "otel" -> List.of("-javaagent:" + otelJar, "-Dotel.traces.exporter=none", "-Dotel.logs.exporter=none",
                                "-Dotel.metrics.exporter=prometheus", "-Dotel.exporter.prometheus.port=" + freePort());
                        default -> List.of();
                    });
                    command.addAll(List.of("-cp", classPath, HttpLoad.class.getName()));
                    jvms.put(config, new LoadJvm(command, logs.resolve("http-" + clients.get(0) + "-" + config + "-" + (set + 1) + ".txt")));
                }
                for (LoadJvm jvm : jvms.values()) {
                    jvm.ready();
                }
                System.out.println("suite: HTTP " + clients + ", set " + (set + 1) + " of " + HTTP_SETS + ": " + HTTP_WARMUP_CYCLES
                        + " cycles of warm-up, " + HTTP_CYCLES + " measured");
                for (int cycle = -HTTP_WARMUP_CYCLES; cycle < HTTP_CYCLES; cycle++) {
                    for (String client : clients) {
                        // Each cycle in another order, so that no configuration always follows the same one.
                        for (int k = 0; k < HTTP_CONFIGS.size(); k++) {
                            String config = HTTP_CONFIGS.get((Math.floorMod(cycle, HTTP_CONFIGS.size()) + k) % HTTP_CONFIGS.size());
                            String[] answer = jvms.get(config).slice(client, HTTP_SLICE_MS);
                            long requests = Long.parseLong(answer[2]);
                            Slice slice = new Slice(Long.parseLong(answer[3]) / 1e3, Long.parseLong(answer[4]) / 1e3 / requests,
                                    (double) Long.parseLong(answer[5]) / requests);
                            if (cycle >= 0) {
                                slices.computeIfAbsent(config, c -> new HashMap<>()).computeIfAbsent(client, c -> new ArrayList<>())
                                        .add(slice);
                                csv.add(String.format(Locale.ROOT, "%d,%d,%s,%s,%d,%.0f,%.0f,%.0f", set + 1, cycle, client, config,
                                        requests, slice.latency * 1e3, slice.cpu * 1e3, slice.bytes));
                            }
                        }
                    }
                }
            } finally {
                for (LoadJvm jvm : jvms.values()) {
                    jvm.close();
                }
            }
        }
    }

    /**
     * An {@link HttpLoad} JVM: one slice at a time, each command answered by one line. Its other
     * output (an agent's start-up lines) goes to a log file.
     */
    private static final class LoadJvm implements AutoCloseable {

        private final Process process;
        private final BufferedReader answers;
        private final java.io.Writer commands;
        private final Path log;

        LoadJvm(List<String> command, Path log) throws IOException {
            this.log = log;
            process = new ProcessBuilder(command).redirectError(log.toFile()).start();
            answers = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            commands = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        }

        void ready() throws IOException {
            answer("ready");
        }

        /** {@code http-load: CLIENT REQUESTS MEDIAN_NS CPU_NS ALLOCATED_BYTES}, split at spaces. */
        String[] slice(String client, int millis) throws IOException {
            commands.write(client + " " + millis + "\n");
            commands.flush();
            return answer(client).split(" ");
        }

        private String answer(String expected) throws IOException {
            String line;
            while ((line = answers.readLine()) != null) {
                if (line.startsWith("http-load: " + expected)) {
                    return line;
                }
            }
            throw new IOException("HttpLoad ended without answering " + expected + "; see " + log);
        }

        @Override
        public void close() throws IOException {
            commands.close();
            Launched.awaitExit(process);
        }
    }

    /** The median of each set's cycles, in set order. */
    private static double[] setMedians(double[] values) {
        double[] medians = new double[HTTP_SETS];
        for (int set = 0; set < HTTP_SETS; set++) {
            medians[set] = medianOf(Arrays.copyOfRange(values, set * HTTP_CYCLES, (set + 1) * HTTP_CYCLES));
        }
        return medians;
    }

    private static String perSet(double[] values, String format) {
        return Arrays.stream(setMedians(values)).mapToObj(median -> String.format(Locale.ROOT, format, median))
                .collect(Collectors.joining(", "));
    }

    private static double minOf(double[] values) {
        return Arrays.stream(values).min().orElse(Double.NaN);
    }

    private static double maxOf(double[] values) {
        return Arrays.stream(values).max().orElse(Double.NaN);
    }

    private static double[] added(List<Slice> slices, List<Slice> base, ToDoubleFunction<Slice> figure) {
        double[] added = new double[slices.size()];
        for (int cycle = 0; cycle < added.length; cycle++) {
            added[cycle] = figure.applyAsDouble(slices.get(cycle)) - figure.applyAsDouble(base.get(cycle));
        }
        return added;
    }

    /**
     * How many values to cut from each end of n sorted values for the sign test's interval of the
     * median at 95 % or more: the largest j with 2 P(X < j) ≤ 0.05, X binomial(n, 1/2).
     */
    static int signTestCut(int n) {
        double below = 0;
        double p = Math.pow(0.5, n);
        int cut = 0;
        while (2 * (below + p) <= 0.05) {
            below += p;
            p = p * (n - cut) / (cut + 1);
            cut++;
        }
        return cut;
    }

    /** The confidence of the interval that cuts {@code cut} values from each end of n: 1 - 2 P(X < cut). */
    static double signTestConfidence(int n, int cut) {
        double below = 0;
        double p = Math.pow(0.5, n);
        for (int i = 0; i < cut; i++) {
            below += p;
            p = p * (n - i) / (i + 1);
        }
        return 1 - 2 * below;
    }

    private static double[] interval(double[] values, int cut) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return new double[] {sorted[cut], sorted[sorted.length - 1 - cut]};
    }

    /** The median, and its confidence interval in brackets. */
    private static String estimate(double[] values, int cut, String unit, boolean signed) {
        String number = unit.equals("B") ? (signed ? "%+.0f" : "%.0f") : unit.equals("ms") ? (signed ? "%+.1f" : "%.1f")
                : (signed ? "%+.2f" : "%.1f");
        double[] interval = interval(values, cut);
        return String.format(Locale.ROOT, number + " %s [" + number + ", " + number + "]", medianOf(values), unit,
                interval[0], interval[1]);
    }

    private static double medianOf(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    // ---------------------------------------------------------------- 3. start-up

    private void startup() throws IOException {
        Map<String, List<Long>> workflow = new HashMap<>();
        Map<String, List<Long>> metrics = new HashMap<>();
        List<String> configs = List.of("none", "flowmeter", "flowmeter-first", "otel");
        // Flowmeter keeps the classes it wove for the next start (weave_cache): "flowmeter" starts as
        // a restart does, with the classes of a run before; "flowmeter-first" as the first start with
        // a new agent jar or rules does, with an empty cache, weaving with ByteBuddy.
        weaveCache = Files.createTempDirectory("flowmeter-bench-cache");
        startTestApp("flowmeter", false);
        // Interleaved, so that a burst of load elsewhere spreads over all configurations, and each run
        // with Flowmeter has a run without an agent just before it, to be compared with.
        for (int run = 0; run < STARTUP_RUNS; run++) {
            for (String config : configs) {
                if (config.equals("otel") && run >= STARTUP_OTEL_RUNS) {
                    continue;
                }
                workflow.computeIfAbsent(config, c -> new ArrayList<>()).add(startTestApp(config, false));
                if (!config.equals("none") && !config.equals("flowmeter-first") && run < STARTUP_ENDPOINT_RUNS) {
                    metrics.computeIfAbsent(config, c -> new ArrayList<>()).add(startTestApp(config, true));
                }
                System.out.println("suite: start-up " + config + " run " + (run + 1) + " done");
            }
        }
        Map<String, double[]> added = new HashMap<>();
        for (String config : List.of("flowmeter", "flowmeter-first")) {
            double[] differences = new double[STARTUP_RUNS];
            for (int run = 0; run < STARTUP_RUNS; run++) {
                differences[run] = (workflow.get(config).get(run) - workflow.get("none").get(run)) / 1e6;
            }
            added.put(config, differences);
        }
        int cut = signTestCut(STARTUP_RUNS);
        long base = median(workflow.get("none"));
        long ot = median(workflow.get("otel"));
        Report.Section section = report.section("3. Start-up",
                "Wall time from starting `java` to test-app's first completed workflow (`--workflows 1`), with nothing"
                        + " scraping the agent: " + STARTUP_RUNS + " runs without an agent and with Flowmeter in each of"
                        + " two ways, interleaved, and " + STARTUP_OTEL_RUNS + " with the OpenTelemetry agent among the"
                        + " first of them (its seconds are far from the target's edge). *Flowmeter, restart*: the woven"
                        + " classes come from the weave cache (`weave_cache`, on by default), filled by a run before, as"
                        + " at every start after the first with the same agent jar and rules; *Flowmeter, first start*:"
                        + " an empty cache each run, so that the classes are woven with ByteBuddy. Flowmeter's added time"
                        + " is the median of the " + STARTUP_RUNS + " differences between a run with it and the run"
                        + " without an agent just before, with its "
                        + String.format(Locale.ROOT, "%.1f", 100 * signTestConfidence(STARTUP_RUNS, cut))
                        + " % confidence interval (sign test): on two cores a run's time varies by a few hundred ms,"
                        + " more than the agent adds. Met when the interval lies below 300 ms, missed when above,"
                        + " inconclusive otherwise. The metrics endpoint's first 200 is the median of "
                        + STARTUP_ENDPOINT_RUNS + " runs of their own that ask for `/metrics` every 5 ms from the start;"
                        + " apart, since that first scrape costs a cold JVM about 100 ms of CPU, which would land in"
                        + " test-app's start-up on two cores: Prometheus, scraping every 15 s or more, seldom asks then."
                        + " Flowmeter with test-app's rules file (`src/rules/test-app.yaml`) and its built-in"
                        + " instrumentations; the OpenTelemetry agent with its defaults and its Prometheus exporter.",
                "| configuration | first workflow done | added | metrics endpoint answers | runs (first workflow, ms) |",
                "|---|---|---|---|---|");
        Map<String, String> start = Map.of("flowmeter", "restart", "flowmeter-first", "first start");
        for (String config : configs) {
            long done = median(workflow.get(config));
            section.row(start.containsKey(config) ? "Flowmeter, " + start.get(config) : label(config), ms(done),
                    config.equals("none") ? "" : added.containsKey(config) ? estimate(added.get(config), cut, "ms", true)
                            : ms(done - base),
                    metrics.containsKey(config) ? ms(median(metrics.get(config))) : "",
                    workflow.get(config).stream().map(n -> String.valueOf(n / 1_000_000)).collect(Collectors.joining(", ")));
        }
        for (String config : List.of("flowmeter", "flowmeter-first")) {
            double flowAdded = medianOf(added.get(config));
            double ratio = flowAdded * 1e6 / (ot - base);
            report.target("Start-up, " + start.get(config) + ": Flowmeter adds ≤ 1/10 of what the OpenTelemetry agent adds",
                    String.format(Locale.ROOT, "%.1f ms vs %s (%.2f)", flowAdded, ms(ot - base), ratio), ratio <= 0.1);
            double[] interval = interval(added.get(config), cut);
            String verdict = interval[1] <= 300 ? verdict(true) : interval[0] > 300 ? verdict(false)
                    : "inconclusive (the interval holds 300 ms)";
            report.target("Start-up, " + start.get(config) + ": Flowmeter adds ≤ 300 ms",
                    estimate(added.get(config), cut, "ms", true), verdict);
        }
    }

    /**
     * Starts test-app for one workflow: returns the nanoseconds to the workflow's end, or with
     * {@code scrape} to the metrics endpoint's first 200, asked for every 5 ms from the start.
     */
    private long startTestApp(String config, boolean scrape) throws IOException {
        int port = freePort();
        List<String> command = new ArrayList<>(List.of(java));
        command.addAll(JVM_FLAGS);
        command.addAll(switch (config) {
            case "flowmeter" -> List.of("-javaagent:" + agentJar + "=port=" + port + ",config=" + testAppRules
                    + ",weave_cache=" + weaveCache);
            case "flowmeter-first" -> List.of("-javaagent:" + agentJar + "=port=" + port + ",config=" + testAppRules
                    + ",weave_cache=" + Files.createTempDirectory(weaveCache.getParent(), "flowmeter-bench-first"));
            case "otel" -> List.of("-javaagent:" + otelJar, "-Dotel.traces.exporter=none",
                    "-Dotel.logs.exporter=none", "-Dotel.metrics.exporter=prometheus",
                    "-Dotel.exporter.prometheus.port=" + port);
            default -> List.of();
        });
        command.addAll(List.of("-jar", testAppJar.toString(), "--workflows", "1", "--api-port", "0",
                "--api-fail-every", "0"));
        try (Launched app = new Launched(command)) {
            CompletableFuture<Launched.Line> finished = app.line(line -> line.contains("all 1 workflows finished"));
            if (scrape) {
                return app.pollMetrics(port).awaitMetrics(120);
            }
            return app.await(finished, 120).nanos();
        }
    }

    // ---------------------------------------------------------------- 4. scrape

    private void scrape() throws IOException, InterruptedException {
        Scrape flow = scrape("flowmeter");
        Scrape hand = scrape("hand");
        Report.Section section = report.section("4. Scrape",
                "One `GET /metrics` (Prometheus text format, uncompressed) of a JVM holding " + SCRAPE_SERIES
                        + " counter series (`bench_scraped_total{key=...}`), timed from this process: median and"
                        + " 90th percentile of " + SCRAPES + " scrapes after " + SCRAPE_WARMUP + " unmeasured ones."
                        + " Heap: in use after a full GC with the series minus before them (both after the first"
                        + " series). The baseline is the same counter made by hand with client_java and served by"
                        + " its HTTPServer, which Flowmeter's server is.",
                "| server | series | median | p90 | bytes | heap for the series | target: median < 50 ms |",
                "|---|---|---|---|---|---|---|");
        for (Scrape scrape : List.of(flow, hand)) {
            section.row(scrape.config.equals("hand") ? "hand-written client_java" : "Flowmeter",
                    String.valueOf(scrape.series), ms(scrape.median), ms(scrape.p90), String.format(Locale.ROOT, "%,d", scrape.bytes),
                    String.format(Locale.ROOT, "%.1f MB (%d B per series)", scrape.heap / 1e6, scrape.heap / scrape.series),
                    scrape.config.equals("hand") ? "" : verdict(scrape.median < 50_000_000L));
        }
        report.target("Scrape of " + SCRAPE_SERIES + " series: median < 50 ms", ms(flow.median) + " (client_java by hand: "
                + ms(hand.median) + ")", flow.median < 50_000_000L);
    }

    private record Scrape(String config, long median, long p90, int bytes, int series, long heap) {}

    private Scrape scrape(String config) throws IOException, InterruptedException {
        int port = freePort();
        List<String> command = new ArrayList<>(List.of(java));
        command.addAll(JVM_FLAGS);
        if (config.equals("flowmeter")) {
            command.add("-javaagent:" + agentJar + "=port=" + port + ",max_series=" + SCRAPE_SERIES + ",config=" + callRules);
        }
        command.addAll(List.of("-cp", classPath, ScrapeTarget.class.getName(), config, String.valueOf(SCRAPE_SERIES),
                String.valueOf(port)));
        try (Launched target = new Launched(command)) {
            Launched.Line ready = target.await(target.line(line -> line.startsWith("scrape-target: ready")), 120);
            Matcher heap = Pattern.compile("heap (\\d+) -> (\\d+)").matcher(ready.text());
            if (!heap.find()) {
                throw new IOException("unexpected line: " + ready.text());
            }
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                    .header("Accept", "text/plain; version=0.0.4").build();
            List<Long> times = new ArrayList<>();
            byte[] body = null;
            for (int i = 0; i < SCRAPE_WARMUP + SCRAPES; i++) {
                long begin = System.nanoTime();
                HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
                long took = System.nanoTime() - begin;
                if (response.statusCode() != 200) {
                    throw new IOException("scrape answered " + response.statusCode());
                }
                body = response.body();
                if (i >= SCRAPE_WARMUP) {
                    times.add(took);
                }
            }
            int series = (int) new String(body, StandardCharsets.UTF_8).lines()
                    .filter(line -> line.startsWith("bench_scraped_total{")).count();
            times.sort(null);
            return new Scrape(config, median(times), times.get((int) Math.ceil(times.size() * 0.9) - 1), body.length,
                    series, Long.parseLong(heap.group(2)) - Long.parseLong(heap.group(1)));
        }
    }

    // ---------------------------------------------------------------- 5. throughput

    /** One throughput run: workflows per second and CPU time per workflow over the measured stretch. */
    private record Rate(double perSecond, double cpuMillisPerWorkflow) {}

    private void throughput() throws IOException {
        Map<String, List<Rate>> rates = new HashMap<>();
        for (int run = 0; run < THROUGHPUT_RUNS; run++) {
            // Each pair in turn starts with the other configuration, so that a drift in the machine's load
            // weighs on both alike.
            List<String> order = run % 2 == 0 ? List.of("none", "flowmeter") : List.of("flowmeter", "none");
            for (String config : order) {
                Rate rate = throughputRun(config);
                rates.computeIfAbsent(config, c -> new ArrayList<>()).add(rate);
                System.out.println(String.format(Locale.ROOT, "suite: throughput %s run %d: %.1f workflows/s, %.3f ms CPU"
                        + " per workflow", config, run + 1, rate.perSecond, rate.cpuMillisPerWorkflow));
            }
        }
        double base = medianDouble(perSecond(rates.get("none")));
        double flow = medianDouble(perSecond(rates.get("flowmeter")));
        double baseCpu = medianDouble(cpuPerWorkflow(rates.get("none")));
        Report.Section section = report.section("5. Throughput",
                "test-app at saturation: it keeps " + THROUGHPUT_IN_FLIGHT + " workflows in flight (`--in-flight "
                        + THROUGHPUT_IN_FLIGHT + "`, starting the next as one finishes; 16 or more give the same rate),"
                        + " through its Conductor API over loopback HTTP, with 4 worker threads per task type and tasks of"
                        + " 0 to 15 ms. Workflows per second over workflows " + (THROUGHPUT_WARMUP + 1) + " to "
                        + (THROUGHPUT_WARMUP + THROUGHPUT_MEASURED) + ", after " + THROUGHPUT_WARMUP + " unmeasured ones"
                        + " for start-up, class loading and JIT compilation, timed by the lines test-app prints every 100;"
                        + " and the JVM's CPU time (user and system, all threads) per workflow over the same stretch."
                        + " Median of " + THROUGHPUT_RUNS + " runs each, interleaved, the spread is min to max."
                        + " Flowmeter with test-app's rules file. What bounds the rate is test-app's worker threads"
                        + " (task, poll interval and HTTP round trips), not the CPU; the CPU time per workflow is what the"
                        + " agent costs where the CPU is the bound.",
                "| configuration | workflows/s | spread | runs | relative | CPU per workflow | relative | target: ≥ 97 % |",
                "|---|---|---|---|---|---|---|---|");
        for (String config : List.of("none", "flowmeter")) {
            List<Double> perSecond = perSecond(rates.get(config));
            double rate = medianDouble(perSecond);
            double cpu = medianDouble(cpuPerWorkflow(rates.get(config)));
            section.row(label(config), String.format(Locale.ROOT, "%.1f", rate),
                    String.format(Locale.ROOT, "%.1f to %.1f", perSecond.stream().min(Double::compare).orElseThrow(),
                            perSecond.stream().max(Double::compare).orElseThrow()),
                    perSecond.stream().map(r -> String.format(Locale.ROOT, "%.1f", r)).collect(Collectors.joining(", ")),
                    String.format(Locale.ROOT, "%.1f %%", 100 * rate / base),
                    String.format(Locale.ROOT, "%.3f ms", cpu), String.format(Locale.ROOT, "%.1f %%", 100 * cpu / baseCpu),
                    config.equals("none") ? "" : verdict(flow / base >= 0.97));
        }
        report.target("Throughput with Flowmeter ≥ 97 % of without", String.format(Locale.ROOT,
                "%.1f %% (%.1f vs %.1f workflows/s at saturation; CPU per workflow %.1f %% of without)", 100 * flow / base,
                flow, base, 100 * medianDouble(cpuPerWorkflow(rates.get("flowmeter"))) / baseCpu), flow / base >= 0.97);
    }

    private Rate throughputRun(String config) throws IOException {
        int from = THROUGHPUT_WARMUP;
        int to = THROUGHPUT_WARMUP + THROUGHPUT_MEASURED;
        List<String> command = new ArrayList<>(List.of(java));
        command.addAll(JVM_FLAGS);
        if (config.equals("flowmeter")) {
            command.add("-javaagent:" + agentJar + "=port=" + freePort() + ",config=" + testAppRules);
        }
        // More workflows than measured, so that the stretch ends while the load is still full.
        command.addAll(List.of("-jar", testAppJar.toString(), "--workflows", String.valueOf(to + THROUGHPUT_IN_FLIGHT * 4),
                "--in-flight", String.valueOf(THROUGHPUT_IN_FLIGHT), "--api-port", "0", "--api-fail-every", "0"));
        try (Launched app = new Launched(command)) {
            CompletableFuture<Launched.Line> first = app.line(line -> line.equals("test-app: " + from + " workflows finished"));
            CompletableFuture<Launched.Line> last = app.line(line -> line.equals("test-app: " + to + " workflows finished"));
            long startNanos = app.await(first, 300).nanos();
            Duration startCpu = app.cpu();
            long endNanos = app.await(last, 300).nanos();
            Duration endCpu = app.cpu();
            return new Rate(THROUGHPUT_MEASURED / ((endNanos - startNanos) / 1e9),
                    endCpu.minus(startCpu).toNanos() / 1e6 / THROUGHPUT_MEASURED);
        }
    }

    private static List<Double> perSecond(List<Rate> rates) {
        return rates.stream().map(Rate::perSecond).collect(Collectors.toList());
    }

    private static List<Double> cpuPerWorkflow(List<Rate> rates) {
        return rates.stream().map(Rate::cpuMillisPerWorkflow).collect(Collectors.toList());
    }

    // ---------------------------------------------------------------- JMH

    /** A benchmark's median iteration time per op (in its unit), half its iterations' range, and bytes allocated per op. */
    record Score(double score, double error, double bytes) {}

    private Map<String, Score> jmh(String name, String include, List<String> agent, boolean gc) throws RunnerException {
        return jmh(name, include, agent, gc, null);
    }

    /** @param histograms the {@code histograms} parameter of {@link CallBenchmark}, or null for other benchmarks */
    private Map<String, Score> jmh(String name, String include, List<String> agent, boolean gc, String histograms)
            throws RunnerException {
        List<String> args = new ArrayList<>(JVM_FLAGS);
        args.addAll(agent);
        ChainedOptionsBuilder options = new OptionsBuilder().include(include)
                .forks(JMH_FORKS).warmupIterations(3).warmupTime(TimeValue.seconds(1))
                .measurementIterations(5).measurementTime(TimeValue.seconds(1))
                .jvmArgs(args.toArray(new String[0]))
                .shouldFailOnError(true)
                .output(logs.resolve("jmh-" + name + ".txt").toString());
        if (histograms != null) {
            options.param("histograms", histograms);
        }
        if (gc) {
            options.addProfiler(GCProfiler.class);
        }
        System.out.println("suite: JMH " + name + " (log in " + logs.resolve("jmh-" + name + ".txt") + ")");
        Collection<RunResult> results = new Runner(options.build()).run();
        Map<String, Score> scores = new HashMap<>();
        for (RunResult result : results) {
            String benchmark = result.getParams().getBenchmark();
            // The median iteration, not the mean: on a machine shared with builds, a burst of load
            // spoils one iteration, which the mean would carry into the figure.
            Statistics primary = result.getPrimaryResult().getStatistics();
            Result<?> bytes = result.getSecondaryResults().get("gc.alloc.rate.norm");
            double spread = (primary.getMax() - primary.getMin()) / 2;
            scores.put(benchmark.substring(benchmark.lastIndexOf('.') + 1),
                    new Score(primary.getPercentile(50), spread, bytes == null ? Double.NaN : bytes.getScore()));
        }
        return scores;
    }

    // ---------------------------------------------------------------- the report

    private String header(Duration took, String loadBefore, String loadAfter, Set<String> parts) throws IOException {
        String cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(line -> line.startsWith("model name"))
                .findFirst().map(line -> line.substring(line.indexOf(':') + 1).trim()).orElse("unknown");
        String memory = Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(line -> line.startsWith("MemTotal"))
                .findFirst().map(line -> String.format(Locale.ROOT, "%.1f GB",
                        Long.parseLong(line.replaceAll("\\D", "")) / 1024.0 / 1024.0)).orElse("unknown");
        return String.join("\n",
                "Measured " + ZonedDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm z")) + " by `bash bench/run`"
                        + (parts.size() < PARTS.size() ? " " + String.join(" ", parts) : "") + " in "
                        + took.toMinutes() + " min " + took.toSecondsPart() + " s.",
                "",
                "- Machine: " + Runtime.getRuntime().availableProcessors() + " cores, " + memory + ", " + cpu
                        + "; load average " + loadBefore + " at the start, " + loadAfter + " at the end",
                "- JDK: " + System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version")
                        + ", flags of every JVM: `" + String.join(" ", JVM_FLAGS) + "`",
                "- Flowmeter " + versions.getProperty("flowmeter") + " (client_java " + versions.getProperty("client_java")
                        + ", ByteBuddy " + versions.getProperty("byte_buddy") + "); OpenTelemetry Java agent "
                        + versions.getProperty("otel_agent") + "; OkHttp " + versions.getProperty("okhttp") + "; JMH "
                        + versions.getProperty("jmh"));
    }

    private static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static String label(String config) {
        return switch (config) {
            case "flowmeter" -> "Flowmeter";
            case "otel" -> "OpenTelemetry agent";
            default -> "no agent";
        };
    }

    private static String verdict(boolean met) {
        return met ? "met" : "**missed**";
    }

    private static String ns(Score score) {
        return String.format(Locale.ROOT, "%.1f ± %.1f ns", score.score, score.error);
    }

    private static String added(Score score, Score base) {
        return String.format(Locale.ROOT, "%.1f ns", score.score - base.score);
    }

    private static String bytes(Score score) {
        return String.format(Locale.ROOT, "%.0f B/op", score.bytes);
    }

    private static String ms(long nanos) {
        return String.format(Locale.ROOT, "%.1f ms", nanos / 1e6);
    }

    private static long median(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        sorted.sort(null);
        return sorted.get(sorted.size() / 2);
    }

    private static double medianDouble(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        return sorted.get(sorted.size() / 2);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** The Markdown: the targets first, then each part's table. */
    private static final class Report {

        private final List<String> targets = new ArrayList<>();
        private final List<Section> sections = new ArrayList<>();

        Section section(String title, String text, String... head) {
            Section section = new Section(title, text, new ArrayList<>(List.of(head)));
            sections.add(section);
            return section;
        }

        void target(String target, String measured, boolean met) {
            target(target, measured, verdict(met));
        }

        void target(String target, String measured, String verdict) {
            targets.add("| " + target + " | " + measured + " | " + verdict + " |");
        }

        String markdown(String header) {
            StringBuilder out = new StringBuilder(header).append("\n\n| target | measured | |\n|---|---|---|\n");
            targets.forEach(line -> out.append(line).append('\n'));
            for (Section section : sections) {
                out.append("\n### ").append(section.title).append("\n\n").append(section.text).append("\n\n");
                section.lines.forEach(line -> out.append(line).append('\n'));
            }
            return out.toString();
        }

        record Section(String title, String text, List<String> lines) {
            void row(String... cells) {
                lines.add("| " + String.join(" | ", cells) + " |");
            }
        }
    }
}
