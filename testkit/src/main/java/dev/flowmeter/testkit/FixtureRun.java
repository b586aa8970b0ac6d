package dev.flowmeter.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BiPredicate;
import java.util.regex.Pattern;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One instrumented JVM for a whole test class, as a JUnit extension: before the class's tests it
 * starts the JVM, waits for its ready line, reads the ground truth it printed by then and scrapes
 * its /metrics once; after them it closes the JVM. The tests assert on {@link #truth}, {@link #scrape}
 * and, for what they do to the running JVM, {@link #app}.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final FixtureRun run = FixtureRun.fixture(CamundaApp.class).readyAt("^done$", Duration.ofMinutes(5));
 * }</pre>
 */
public final class FixtureRun implements BeforeAllCallback, AfterAllCallback {

    /** Starts the JVM. */
    @FunctionalInterface
    public interface Start {
        InstrumentedJvm start() throws Exception;
    }

    /** How long the first scrape may wait for the counts its condition asks for. */
    private static final Duration SCRAPE_TIMEOUT = Duration.ofSeconds(10);

    private final Start start;
    private Pattern ready = Pattern.compile("^done$");
    private Duration readyTimeout = InstrumentedJvm.START_TIMEOUT;
    private BiPredicate<Map<String, Long>, Scrape> scraped = (truth, scrape) -> true;

    private InstrumentedJvm app;
    private Map<String, Long> truth;
    private Scrape scrape;

    private FixtureRun(Start start) {
        this.start = start;
    }

    /** {@code mainClass} from the test class path, with the agent on port 0: {@link InstrumentedJvm#fixture}. */
    public static FixtureRun fixture(Class<?> mainClass, String... arguments) {
        return fixture("port=0", mainClass, arguments);
    }

    public static FixtureRun fixture(String agentArguments, Class<?> mainClass, String... arguments) {
        return new FixtureRun(() -> InstrumentedJvm.fixture(agentArguments, mainClass, arguments));
    }

    public static FixtureRun fixture(String agentArguments, List<String> javaOptions, Class<?> mainClass, String... arguments) {
        return new FixtureRun(() -> InstrumentedJvm.fixture(agentArguments, javaOptions, mainClass, arguments));
    }

    /** {@code java -javaagent:AGENT=port=0 -jar jar}, an application's own jar, which must exist. */
    public static FixtureRun jar(Path jar) {
        return new FixtureRun(() -> {
            if (!Files.isRegularFile(jar)) {
                throw new AssertionError(jar + " is built by the package phase");
            }
            return InstrumentedJvm.java(List.of(InstrumentedJvm.agentFlag("port=0"), "-jar", jar.toString()));
        });
    }

    /** A JVM the test starts its own way, such as with a class path it works out as the JVM starts. */
    public static FixtureRun of(Start start) {
        return new FixtureRun(start);
    }

    /** The stdout line that says the JVM is ready for the tests ({@code ^done$} within a minute unless told). */
    public FixtureRun readyAt(String regex, Duration timeout) {
        ready = Pattern.compile(regex);
        readyTimeout = timeout;
        return this;
    }

    /**
     * Scrapes until the condition holds of the truth and the scrape, or ten seconds pass, for counts
     * the agent records a moment after the application printed its truth.
     */
    public FixtureRun scrapedWhen(BiPredicate<Map<String, Long>, Scrape> condition) {
        scraped = condition;
        return this;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        app = start.start();
        app.awaitStdout(ready, readyTimeout);
        truth = app.truth();
        scrape = app.scrapeUntil(current -> scraped.test(truth, current), SCRAPE_TIMEOUT);
    }

    @Override
    public void afterAll(ExtensionContext context) throws InterruptedException {
        if (app != null) {
            app.close();
            app = null;
        }
    }

    /** The running JVM, for what a test sends it, awaits from it or scrapes again. */
    public InstrumentedJvm app() {
        return app;
    }

    /** The scrape taken when the JVM was ready. */
    public Scrape scrape() {
        return scrape;
    }

    /** The truth the JVM had printed when it was ready, by key. */
    public Map<String, Long> truth() {
        return truth;
    }

    /** One count of {@link #truth()}, which the application must have printed. */
    public long truth(String key) {
        Long value = truth.get(key);
        if (value == null) {
            throw new AssertionError("the fixture printed no truth '" + key + "': " + truth);
        }
        return value;
    }

    /**
     * The ready scrape shows methods instrumented by {@code instrumentation}, and the agent counted
     * no advice error and printed nothing on stderr but its start-up line.
     */
    public void assertInstrumentedWithoutErrors(String instrumentation) {
        assertInstrumentedWithoutErrors(instrumentation, scrape);
    }

    /** {@link #assertInstrumentedWithoutErrors(String)} of another scrape, such as one taken after the tests' load. */
    public void assertInstrumentedWithoutErrors(String instrumentation, Scrape scrape) {
        if (scrape.sum("flowmeter_instrumented_methods", Map.of("instrumentation", instrumentation)) <= 0) {
            throw new AssertionError("no methods instrumented by " + instrumentation + ":\n" + scrape.text());
        }
        app.assertRecordedWithoutErrors(scrape);
    }

    /**
     * Sends {@code command} and waits for the stdout line that starts with {@code done}, unless the JVM printed the
     * line {@code done} already: a load that several ordered tests need, run by the first of them. The truth after it.
     */
    public Map<String, Long> sendOnce(String command, String done, Duration timeout) throws IOException, InterruptedException {
        if (app.stdout().stream().noneMatch(line -> line.equals(done))) {
            app.sendAndAwait(command, "^" + Pattern.quote(done), timeout);
        }
        return app.truth();
    }

    /**
     * A new scrape shows {@code held} executions of {@code taskType} in flight and none of any other type, and
     * {@code engine} running: the fixture holds that many jobs running.
     */
    public void assertHeldInFlightAndRunning(long held, String taskType, String engine) throws IOException, InterruptedException {
        Scrape now = app.scrape();
        assertEquals(held, now.sum("task_active", Map.of("task_type", taskType)));
        assertEquals(held, now.sum("task_active", Map.of()));
        now.assertEngineStatus(engine, "RUNNING");
    }

    /**
     * After the stdout line that starts with {@code stopped} (the engine polls no more), the polls the fixture
     * counted itself ({@code polls}) of its store, of class {@code store}, equal the polls in a scrape, with or
     * without the store's label: each counted once, whatever overrides or wrappers the poll passed through.
     */
    public void assertPollsOnceAfter(String stopped, Duration timeout, String store) throws IOException, InterruptedException {
        app.awaitStdout(Pattern.compile("^" + Pattern.quote(stopped)), timeout);
        long polls = app.truth().get("polls");
        Map<String, String> ofStore = Map.of("task_type", store);
        Scrape now = app.scrapeUntil(s -> s.sum("task_poll_total", ofStore) >= polls, SCRAPE_TIMEOUT);
        assertTrue(polls > 0);
        now.assertCount(polls, "task_poll_total", ofStore);
        now.assertCount(polls, "task_poll_time_seconds_count", Map.of("task_type", store, "status", "SUCCESS"));
        now.assertCount(polls, "task_poll_total", Map.of());
    }

    /**
     * In the ready scrape, the executions of each task type (a key of {@code exceptions}) are what the fixture
     * counted as {@code execute TYPE SUCCESS} and {@code execute TYPE FAILURE}, of which there are some, each failure
     * an error of the type's exception (its value), and none is still in flight.
     */
    public void assertExecutionsAsCounted(Map<String, String> exceptions) {
        exceptions.forEach((taskType, exception) -> {
            for (String status : List.of("SUCCESS", "FAILURE")) {
                scrape.assertCount(truth("execute " + taskType + " " + status), "task_execute_time_seconds_count",
                        Map.of("task_type", taskType, "status", status));
            }
            assertTrue(truth("execute " + taskType + " FAILURE") > 0, truth.toString());
            scrape.assertCount(truth("execute " + taskType + " FAILURE"), "task_execute_error_total",
                    Map.of("task_type", taskType, "exception", exception));
            scrape.assertCount(0, "task_active", Map.of("task_type", taskType));
        });
    }

    /** In the ready scrape, each workflow type's successful durations are the fixture's {@code completed TYPE}. */
    public void assertCompletedDurations(List<String> workflowTypes) {
        for (String workflowType : workflowTypes) {
            scrape.assertCount(truth("completed " + workflowType), "workflow_duration_seconds_count",
                    Map.of("workflow_type", workflowType, "status", "SUCCESS"));
        }
    }

    /**
     * In the ready scrape, no workflow of the types is in flight (though workflow_active is there), and every
     * workflow's end found its start.
     */
    public void assertNoWorkflowInFlight(List<String> workflowTypes) {
        for (String workflowType : workflowTypes) {
            scrape.assertCount(0, "workflow_active", Map.of("workflow_type", workflowType));
        }
        assertTrue(scrape.samples().stream().anyMatch(sample -> sample.name().equals("workflow_active")), scrape.text());
        scrape.assertCount(0, "flowmeter_workflows_unpaired_total", Map.of());
    }

    /**
     * {@code engine}, stopped in the ready scrape, is running after the command {@code start} (done at the line
     * {@code started}) and stopped after {@code stop} (done at {@code stopped}).
     */
    public void assertStartsAndStops(String engine, Duration timeout) throws IOException, InterruptedException {
        scrape.assertEngineStatus(engine, "STOPPED");
        assertEngineStatusAfter("start", "^started$", timeout, engine, "RUNNING");
        assertEngineStatusAfter("stop", "^stopped$", timeout, engine, "STOPPED");
    }

    /**
     * Sends {@code command}, waits up to {@code timeout} for the stdout line {@code done} that says it
     * was done, and fails unless {@code engine}'s workflow_engine_status in a new scrape is {@code state}.
     */
    public void assertEngineStatusAfter(String command, String done, Duration timeout, String engine, String state)
            throws IOException, InterruptedException {
        app.sendAndAwait(command, done, timeout);
        app.scrape().assertEngineStatus(engine, state);
    }

    /** {@code promtool check metrics} on a new scrape finds nothing to say. */
    public void assertLintClean() throws Exception {
        Promtool.assertLintClean(app.scrape());
    }
}
