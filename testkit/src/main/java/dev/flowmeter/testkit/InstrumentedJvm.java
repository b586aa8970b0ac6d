package dev.flowmeter.testkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A JVM of its own, started with the packaged agent, whose output the test can wait on. */
public final class InstrumentedJvm implements AutoCloseable {

    public static final Path AGENT_JAR = Path.of(System.getProperty("flowmeter.agent.jar", "../agent/target/flowmeter-agent.jar"));
    public static final Path TEST_APP_JAR = Path.of(System.getProperty("flowmeter.test-app.jar",
            "../test-app/target/flowmeter-test-app.jar"));
    public static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    /** The JDK that instrumented JVMs run on, when not the one running the tests: its home directory. */
    public static final String JDK_PROPERTY = "flowmeter.fixture.jdk";
    private static final Pattern AGENT_URL = Pattern.compile("serving metrics at (https?://\\S+/metrics)");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final Process process;
    private final List<String> stdout = new CopyOnWriteArrayList<>();
    private final List<String> stderr = new CopyOnWriteArrayList<>();
    /** The threads that read stdout and stderr, each until its stream ends. */
    private final List<Thread> readers;

    private InstrumentedJvm(List<String> command) throws IOException {
        process = new ProcessBuilder(command).start();
        readers = List.of(collect(process.getInputStream(), stdout), collect(process.getErrorStream(), stderr));
    }

    /** {@code java -javaagent:AGENT=agentArguments -jar test-app.jar appArguments...} */
    public static InstrumentedJvm testApp(String agentArguments, String... appArguments) throws IOException {
        return testApp(List.of(), agentArguments, appArguments);
    }

    /** {@code java javaOptions... -javaagent:AGENT=agentArguments -jar test-app.jar appArguments...} */
    public static InstrumentedJvm testApp(List<String> javaOptions, String agentArguments, String... appArguments)
            throws IOException {
        List<String> command = new ArrayList<>(List.of(java()));
        command.addAll(javaOptions);
        command.addAll(List.of(agent(agentArguments), "-jar", TEST_APP_JAR.toString()));
        command.addAll(List.of(appArguments));
        return new InstrumentedJvm(command);
    }

    /** test-app without the agent, for a test that attaches it later. */
    public static InstrumentedJvm uninstrumentedTestApp(String... appArguments) throws IOException {
        List<String> command = new ArrayList<>(List.of(java(), "-jar", TEST_APP_JAR.toString()));
        command.addAll(List.of(appArguments));
        return new InstrumentedJvm(command);
    }

    /** {@code java -jar flowmeter-agent.jar arguments...}, the agent's command line, run to its end. */
    public static InstrumentedJvm agentCommand(String... arguments) throws IOException {
        List<String> command = new ArrayList<>(List.of(java(), "-jar", AGENT_JAR.toAbsolutePath().toString()));
        command.addAll(List.of(arguments));
        return new InstrumentedJvm(command);
    }

    public long pid() {
        return process.pid();
    }

    /** Runs {@code mainClass} from the test class path, which holds the fixtures and their libraries. */
    public static InstrumentedJvm fixture(String agentArguments, Class<?> mainClass, String... arguments) throws IOException {
        return fixture(agentArguments, List.of("-cp", System.getProperty("java.class.path")), mainClass, arguments);
    }

    /**
     * Runs {@code mainClass} with options of its own for the java command, such as a class path with
     * another version of a library than the tests have, or system properties.
     */
    public static InstrumentedJvm fixture(String agentArguments, List<String> javaOptions, Class<?> mainClass,
            String... arguments) throws IOException {
        List<String> command = new ArrayList<>(List.of(java(), agent(agentArguments)));
        command.addAll(javaOptions);
        command.add(mainClass.getName());
        command.addAll(List.of(arguments));
        return new InstrumentedJvm(command);
    }

    /**
     * {@code java arguments...}, for a command line of the test's own: another agent beside
     * Flowmeter's (see {@link #agentFlag}), say, or an application's own jar.
     */
    public static InstrumentedJvm java(List<String> arguments) throws IOException {
        List<String> command = new ArrayList<>(List.of(java()));
        command.addAll(arguments);
        return new InstrumentedJvm(command);
    }

    /** The java command of {@link #JDK_PROPERTY}'s JDK if set, else of the JDK running the tests. */
    public static String java() {
        return Path.of(System.getProperty(JDK_PROPERTY, System.getProperty("java.home")), "bin", "java").toString();
    }

    /** The Java version of the JDK that instrumented JVMs run on, as {@code java.version} gives it: 17.0.15. */
    public static String javaVersion() throws IOException {
        Path release = Path.of(System.getProperty(JDK_PROPERTY, System.getProperty("java.home")), "release");
        for (String line : java.nio.file.Files.readAllLines(release)) {
            if (line.startsWith("JAVA_VERSION=")) {
                return line.substring("JAVA_VERSION=".length()).replace("\"", "");
            }
        }
        throw new IOException("no JAVA_VERSION in " + release);
    }

    /** {@code -javaagent:} with the packaged Flowmeter agent and its arguments. */
    public static String agentFlag(String arguments) {
        return agent(arguments);
    }

    private static String agent(String arguments) {
        return "-javaagent:" + AGENT_JAR.toAbsolutePath() + (arguments.isEmpty() ? "" : "=" + arguments);
    }

    private static Thread collect(InputStream stream, List<String> lines) {
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    lines.add(line);
                }
            } catch (IOException closed) {
                // the process ended
            }
        });
        reader.setDaemon(true);
        reader.start();
        return reader;
    }

    /** The agent's metrics URL, from its start-up line. */
    public String metricsUrl() throws InterruptedException {
        Matcher url = AGENT_URL.matcher(awaitLine(stderr, AGENT_URL.asPredicate(), START_TIMEOUT));
        url.find();
        return url.group(1);
    }

    public String awaitStdout(Pattern pattern, Duration timeout) throws InterruptedException {
        return awaitLine(stdout, pattern.asPredicate(), timeout);
    }

    public String awaitStderr(Pattern pattern, Duration timeout) throws InterruptedException {
        return awaitLine(stderr, pattern.asPredicate(), timeout);
    }

    private String awaitLine(List<String> lines, Predicate<String> wanted, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (String line : lines) {
                if (wanted.test(line)) {
                    return line;
                }
            }
            if (!process.isAlive() && lines.stream().noneMatch(wanted)) {
                throw new AssertionError("the JVM exited (" + process.exitValue() + ") before printing the line;\n"
                        + describe());
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no such line within " + timeout + ";\n" + describe());
    }

    public List<String> stdout() {
        return stdout;
    }

    public List<String> stderr() {
        return stderr;
    }

    /** The rest of the first stdout line that starts with {@code prefix}, which the JVM must have printed. */
    public String stdoutAfter(String prefix) {
        return stdout().stream().filter(line -> line.startsWith(prefix)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + prefix + "line;\n" + describe()))
                .substring(prefix.length());
    }

    /** Writes a line to the JVM's standard input. */
    public void send(String line) throws IOException {
        process.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
        process.getOutputStream().flush();
    }

    /** Writes {@code line} to the JVM's standard input and waits for the stdout line that says it was done. */
    public String sendAndAwait(String line, String done, Duration timeout) throws IOException, InterruptedException {
        send(line);
        return awaitStdout(Pattern.compile(done), timeout);
    }

    /** Waits for the JVM to end by itself and returns its exit status. */
    public int waitForExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
            throw new AssertionError("the JVM did not exit within " + timeout + ";\n" + describe());
        }
        // Its last lines may still be in the pipes: read them to the end before anyone looks.
        for (Thread reader : readers) {
            reader.join(timeout.toMillis());
        }
        return process.exitValue();
    }

    public String describe() {
        return "stdout:\n  " + String.join("\n  ", stdout) + "\nstderr:\n  " + String.join("\n  ", stderr);
    }

    public static String get(String url) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException(url + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    /** A GET that asks for a format; the caller checks status and headers. */
    public static HttpResponse<byte[]> get(String url, String accept) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).header("Accept", accept)
                .build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    public static HttpResponse<String> post(String url, String json) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Fails if the agent counted an advice error or printed anything on stderr but its start-up line. */
    public void assertRecordedWithoutErrors(Scrape scrape) {
        scrape.assertCount(0, "flowmeter_advice_errors_total", java.util.Map.of());
        if (stderr.stream().anyMatch(line -> line.startsWith("flowmeter:"))) {
            throw new AssertionError("the agent reported a problem;\n" + describe());
        }
    }

    public Scrape scrape() throws IOException, InterruptedException {
        return Scrape.parse(get(metricsUrl()));
    }

    /**
     * Scrapes until {@code done} holds of a scrape or {@code timeout} passes, for what the agent
     * records a moment after the application counted it; the caller asserts on the scrape returned.
     */
    public Scrape scrapeUntil(Predicate<Scrape> done, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Scrape scrape = scrape();
        while (!done.test(scrape) && System.nanoTime() < deadline) {
            Thread.sleep(50);
            scrape = scrape();
        }
        return scrape;
    }

    /**
     * Polls until what the application counted and what the agent recorded are equal, or
     * {@code timeout} passes, then asserts they are: for what the application learns a moment after
     * the agent recorded it, such as an event its library delivers on another thread.
     */
    public static void assertAgree(java.util.concurrent.Callable<Map<String, Long>> counted,
            java.util.concurrent.Callable<Map<String, Long>> recorded, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, Long> expected = counted.call();
        Map<String, Long> actual = recorded.call();
        while (!expected.equals(actual) && System.nanoTime() < deadline) {
            Thread.sleep(100);
            expected = counted.call();
            actual = recorded.call();
        }
        if (!expected.equals(actual)) {
            throw new AssertionError("expected " + expected + " but the agent recorded " + actual);
        }
    }

    /** What the application counted itself, from its {@code truth KEY COUNT} lines so far. */
    public Map<String, Long> truth() {
        Map<String, Long> truth = new TreeMap<>();
        for (String line : stdout) {
            if (line.startsWith("truth ")) {
                int last = line.lastIndexOf(' ');
                truth.put(line.substring("truth ".length(), last), Long.parseLong(line.substring(last + 1)));
            }
        }
        return truth;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
