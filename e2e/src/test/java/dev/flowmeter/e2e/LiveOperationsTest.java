package dev.flowmeter.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flowmeter.e2e.fixtures.LiveApp;
import dev.flowmeter.e2e.live.Steps;
import dev.flowmeter.testkit.InstrumentedJvm;
import dev.flowmeter.testkit.Scrape;
import java.io.IOException;
import java.io.OutputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reload and detach while {@link LiveApp} calls the instrumented methods from 8 threads without
 * pause and counts its calls itself. A rule in force the whole time, or changed but recording the
 * same series, must count exactly the calls the harness made; a rule added or removed counts the
 * calls between the moments its reload was asked for and acknowledged, within the calls that can
 * be in flight at each of those moments (one per thread).
 */
class LiveOperationsTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final Pattern SERVING = Pattern.compile("serving metrics at (http://\\S+)/metrics");
    private static final int IN_FLIGHT = 8;

    @TempDir
    Path folder;

    /**
     * A version of the rules file: alpha always; beta in one of two versions that record the same
     * series; gamma, a timer, or not.
     */
    private static String rules(int betaVersion, boolean gamma) {
        String steps = Steps.class.getName();
        return "rules:\n"
                + "  - name: alpha\n    class: " + steps + "\n    method: alpha\n    counter: live_alpha_calls\n"
                + "  - name: beta\n    class: " + steps + "\n    method: beta\n"
                + (betaVersion == 1 ? "    parameters: 1\n" : "    parameters: [int]\n")
                + "    counter: live_beta_calls\n    labels: { kind: this.kind() }\n"
                + (gamma ? "  - name: gamma\n    class: " + steps + "\n    method: gamma\n    timer: live_gamma_seconds\n" : "");
    }

    /** Files with an error: a counter named as gamma's timer (a metric of another type), a bad setting, bad YAML. */
    private static final List<String> BROKEN = List.of(
            rules(1, true) + "  - name: delta\n    class: " + Steps.class.getName() + "\n    method: alpha\n"
                    + "    counter: live_gamma_seconds\n",
            "max_series: -1\n" + rules(1, true),
            "rules: [ { class: " + Steps.class.getName() + ", method: alpha\n");

    @Test
    void tenReloadsAndADetachUnderLoadKeepEveryCountExact() throws Exception {
        Path config = folder.resolve("flowmeter.yaml");
        Files.writeString(config, rules(1, false));
        // step: beta's version (0 for a broken file), whether gamma is in force
        int[][] steps = {{1, 1}, {2, 1}, {0, 0}, {2, 0}, {1, 1}, {0, 1}, {2, 0}, {2, 1}, {1, 0}, {0, 2}};
        try (InstrumentedJvm app = InstrumentedJvm.fixture("port=0,host=127.0.0.1,weave_cache=" + folder.resolve("cache")
                + ",config=" + config, harnessOptions(), LiveApp.class)) {
            String base = app.metricsUrl().replace("/metrics", "");
            app.awaitStdout(Pattern.compile("^running"), TIMEOUT);
            long[] startedAt = counts(app);
            long startNanos = System.nanoTime();
            boolean gamma = false;
            long gammaLow = 0;
            long gammaHigh = 0;
            long[] addedRequested = null;
            long[] addedAcknowledged = null;
            String lastApplied = rules(1, false);
            List<Long> reloadMillis = new ArrayList<>();
            for (int[] step : steps) {
                String text = step[0] == 0 ? BROKEN.get(step[1]) : rules(step[0], step[1] == 1);
                if (step == steps[8]) {
                    text = "timers: summary\n" + text; // a setting the running agent cannot change
                }
                long[] requested = counts(app);
                Files.writeString(config, text);
                long reloadStarted = System.nanoTime();
                HttpResponse<String> answer = InstrumentedJvm.post(base + "/-/reload", "");
                reloadMillis.add(Duration.ofNanos(System.nanoTime() - reloadStarted).toMillis());
                long[] acknowledged = counts(app);
                if (step[0] == 0) {
                    assertEquals(422, answer.statusCode(), answer.body());
                    assertTrue(answer.body().contains("\"result\": \"rejected\""), answer.body());
                } else {
                    assertEquals(200, answer.statusCode(), answer.body());
                    lastApplied = text;
                    boolean now = step[1] == 1;
                    if (now && !gamma) {
                        addedRequested = requested;
                        addedAcknowledged = acknowledged;
                    } else if (!now && gamma) {
                        gammaLow += requested[2] - addedAcknowledged[2] - IN_FLIGHT;
                        gammaHigh += acknowledged[2] - addedRequested[2] + IN_FLIGHT;
                    }
                    gamma = now;
                }
                awaitCalls(app, acknowledged[0] + 20_000); // the load runs on in the new version for a while
            }

            app.send("pause");
            long[] paused = parse(app.awaitStdout(Pattern.compile("^paused "), TIMEOUT));
            double callsPerSecond = (paused[0] + paused[1] + paused[2] - startedAt[0] - startedAt[1] - startedAt[2])
                    / ((System.nanoTime() - startNanos) / 1e9);
            if (gamma) {
                gammaLow += paused[2] - addedAcknowledged[2] - IN_FLIGHT;
                gammaHigh += paused[2] - addedRequested[2] + IN_FLIGHT;
            }
            Scrape scrape = Scrape.parse(InstrumentedJvm.get(base + "/metrics"));
            assertEquals(paused[0], (long) scrape.sum("live_alpha_calls_total", Map.of()), "alpha, in force throughout");
            assertEquals(paused[1], (long) scrape.sum("live_beta_calls_total", Map.of("kind", "steps")),
                    "beta, changed four times, one series");
            double gammaCounted = scrape.sum("live_gamma_seconds_count", Map.of());
            assertTrue(gammaCounted >= gammaLow && gammaCounted <= gammaHigh,
                    "gamma counted " + gammaCounted + ", within [" + gammaLow + ", " + gammaHigh + "]");
            assertEquals(7, (long) scrape.sum("flowmeter_config_reloads_total", Map.of("result", "applied")));
            assertEquals(3, (long) scrape.sum("flowmeter_config_reloads_total", Map.of("result", "rejected")));
            assertEquals(0, (long) scrape.sum("flowmeter_advice_errors_total", Map.of()), scrape.text());
            JsonNode version = new ObjectMapper().readTree(InstrumentedJvm.get(base + "/-/flowmeter")).at("/config_file/version");
            assertEquals(sha256(lastApplied), version.get("sha256").asText(), version.toString());
            assertEquals("[\"beta\"]", version.get("changed").toString(), version.toString());
            assertEquals("[\"gamma\"]", version.get("removed").toString(), version.toString());
            assertEquals("[\"timers\"]", version.get("needs_restart").toString(), version.toString());
            app.send("resume");
            app.awaitStdout(Pattern.compile("^resumed"), TIMEOUT);
            assertEquals("probes=true", scan(app, "woven"), "the positive control: woven Steps calls the probes");

            long[] beforeDetach = counts(app);
            String detached = detach(app);
            awaitCalls(app, beforeDetach[0] + 20_000);
            assertEquals("probes=false", scan(app, "detached"), "Steps is back to its own class file");
            assertThrows(IOException.class, () -> InstrumentedJvm.get(base + "/metrics"), "the server is stopped");
            app.send("stop");
            String stopped = app.awaitStdout(Pattern.compile("^stopped "), TIMEOUT);
            assertTrue(stopped.endsWith("wrong=0 failures=0"), stopped);
            for (String line : app.stderr()) {
                assertTrue(!line.startsWith("flowmeter:") || line.startsWith("flowmeter: applied ")
                        || line.contains(" not applied: ") || line.startsWith("flowmeter: detached in "), app.describe());
            }
            System.out.printf("figure reload: %.0f instrumented calls/s held over 10 reloads, alpha and beta exact, gamma %.0f"
                    + " within [%d, %d]; POST /-/reload answered in %s ms; detach under load: %s%n", callsPerSecond,
                    gammaCounted, gammaLow, gammaHigh, reloadMillis, detached);
        }
    }

    @Test
    void attachReloadDetachAttachInARowThenTwentyCycles() throws Exception {
        Path config = folder.resolve("flowmeter.yaml");
        Files.writeString(config, rules(1, false));
        Path textfile = folder.resolve("flowmeter.prom");
        List<String> command = new ArrayList<>(harnessOptions());
        command.add(LiveApp.class.getName());
        try (InstrumentedJvm app = InstrumentedJvm.java(command)) {
            app.awaitStdout(Pattern.compile("^running"), TIMEOUT);
            app.send("memory fresh");
            String fresh = app.awaitStdout(Pattern.compile("^memory fresh "), TIMEOUT);
            String base = attach(app, "port=0,host=127.0.0.1,reload=true,reload_interval=1s,textfile=" + textfile
                    + ",textfile_interval=1h,config=" + config);
            assertEquals("probes=true", scan(app, "attached"));

            Files.writeString(config, rules(2, true));
            Scrape reloaded = scrapeUntil(base, scrape -> scrape.sum("flowmeter_config_reloads_total", Map.of("result", "applied")) > 0
                    && scrape.sum("live_gamma_seconds_count", Map.of()) > 0);
            assertEquals(1, (long) reloaded.sum("flowmeter_config_reloads_total", Map.of("result", "applied")),
                    "the file watched: " + reloaded.text());
            assertTrue(reloaded.sum("live_gamma_seconds_count", Map.of()) > 0, "gamma added: " + reloaded.text());

            HttpResponse<String> detaching = InstrumentedJvm.post(base + "/-/detach", "");
            assertEquals(202, detaching.statusCode(), detaching.body());
            app.awaitStderr(Pattern.compile("^flowmeter: detached in "), TIMEOUT);
            assertEquals("probes=false", scan(app, "detached"));
            Scrape last = Scrape.parse(Files.readString(textfile));
            assertTrue(last.sum("live_gamma_seconds_count", Map.of()) > 0, "the textfile written at detach: " + last.text());

            long[] beforeAttach = counts(app);
            String again = attach(app, "port=0,config=" + config);
            long[] attached = counts(app);
            for (String operation : List.of("/-/reload", "/-/detach")) {
                HttpResponse<String> refused = InstrumentedJvm.post(again + operation, "");
                assertEquals(403, refused.statusCode(), "no auth_user, and the server binds every address: " + refused.body());
            }
            app.send("pause");
            long[] paused = parse(app.awaitStdout(Pattern.compile("^paused "), TIMEOUT));
            double alpha = Scrape.parse(InstrumentedJvm.get(again + "/metrics")).sum("live_alpha_calls_total", Map.of());
            assertTrue(alpha <= paused[0] - beforeAttach[0] && alpha >= paused[0] - attached[0] - IN_FLIGHT,
                    "counted from zero at the second attach: " + alpha);
            app.send("resume");
            detach(app);

            app.send("memory before");
            String before = app.awaitStdout(Pattern.compile("^memory before "), TIMEOUT);
            long cyclesStarted = System.nanoTime();
            for (int cycle = 0; cycle < 20; cycle++) {
                attach(app, "port=0,host=127.0.0.1,config=" + config);
                detach(app);
            }
            long cycleMillis = Duration.ofNanos(System.nanoTime() - cyclesStarted).toMillis() / 20;
            app.send("memory after");
            String after = app.awaitStdout(Pattern.compile("^memory after "), TIMEOUT);
            assertEquals("probes=false", scan(app, "cycled"));
            app.send("stop");
            String stopped = app.awaitStdout(Pattern.compile("^stopped "), TIMEOUT);
            assertTrue(stopped.endsWith("wrong=0 failures=0"), stopped);
            long heapGrowth = field(after, "heap") - field(before, "heap");
            long metaspaceGrowth = field(after, "metaspace") - field(before, "metaspace");
            assertTrue(metaspaceGrowth < 16 << 20, "metaspace grew by " + metaspaceGrowth + ": " + before + " -> " + after);
            assertTrue(heapGrowth < 32 << 20, "heap grew by " + heapGrowth + ": " + before + " -> " + after);
            System.out.printf("figure cycles: 20 attach/detach cycles, %d ms each (two command-line JVMs included);"
                    + " before any attach %s; after two cycles %s; after 20 more %s%n", cycleMillis, fresh, before, after);
        }
    }

    /** The java options of the harness: its own class path, and itself as an agent that can read class files (see LiveApp). */
    private List<String> harnessOptions() throws IOException {
        Path spy = folder.resolve("class-file-spy.jar");
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().putValue("Agent-Class", LiveApp.class.getName());
        manifest.getMainAttributes().putValue("Can-Retransform-Classes", "true");
        try (OutputStream out = Files.newOutputStream(spy); JarOutputStream jar = new JarOutputStream(out, manifest)) {
            // the manifest alone: the class is on the class path
        }
        return List.of("-Djdk.attach.allowAttachSelf=true", "-Dlive.spy=" + spy, "-cp", System.getProperty("java.class.path"));
    }

    private static String attach(InstrumentedJvm app, String arguments) throws Exception {
        try (InstrumentedJvm attach = InstrumentedJvm.agentCommand("attach", String.valueOf(app.pid()), arguments)) {
            assertEquals(0, attach.waitForExit(TIMEOUT), attach.describe() + "\napp:\n" + app.describe());
            Matcher serving = SERVING.matcher(String.join("\n", attach.stdout()));
            assertTrue(serving.find(), attach.describe());
            return serving.group(1);
        }
    }

    /** What the command line said it did. */
    private static String detach(InstrumentedJvm app) throws Exception {
        try (InstrumentedJvm detach = InstrumentedJvm.agentCommand("detach", String.valueOf(app.pid()))) {
            assertEquals(0, detach.waitForExit(TIMEOUT), detach.describe() + "\napp:\n" + app.describe());
            String said = String.join("\n", detach.stdout());
            assertTrue(said.contains("flowmeter detached in "), detach.describe());
            return said;
        }
    }

    private static int asked;

    /** The harness's counts of alpha, beta and gamma calls now. */
    private static long[] counts(InstrumentedJvm app) throws Exception {
        String id = String.valueOf(++asked);
        app.send("counts " + id);
        return parse(app.awaitStdout(Pattern.compile("^counts " + id + " "), TIMEOUT));
    }

    private static String scan(InstrumentedJvm app, String id) throws Exception {
        app.send("scan " + id);
        String line = app.awaitStdout(Pattern.compile("^scan " + id + " "), TIMEOUT);
        return line.split(" ")[2];
    }

    private static void awaitCalls(InstrumentedJvm app, long alpha) throws Exception {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (counts(app)[0] < alpha) {
            assertTrue(System.nanoTime() < deadline, "the harness stalled;\n" + app.describe());
            Thread.sleep(20);
        }
    }

    private static long[] parse(String line) {
        return new long[] {field(line, "alpha"), field(line, "beta"), field(line, "gamma")};
    }

    private static long field(String line, String name) {
        Matcher value = Pattern.compile("\\b" + name + "=(\\d+)").matcher(line);
        assertTrue(value.find(), line);
        return Long.parseLong(value.group(1));
    }

    private static Scrape scrapeUntil(String base, java.util.function.Predicate<Scrape> done) throws Exception {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        Scrape scrape = Scrape.parse(InstrumentedJvm.get(base + "/metrics"));
        while (!done.test(scrape) && System.nanoTime() < deadline) {
            Thread.sleep(50);
            scrape = Scrape.parse(InstrumentedJvm.get(base + "/metrics"));
        }
        return scrape;
    }

    private static String sha256(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    }
}
