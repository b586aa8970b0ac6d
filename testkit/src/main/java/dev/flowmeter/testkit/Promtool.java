package dev.flowmeter.testkit;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs Prometheus' {@code promtool} from PATH in the project root. */
public final class Promtool {

    /** The project's root folder, which the parent pom passes to every module's tests. */
    public static final Path PROJECT_ROOT = Path.of(System.getProperty("flowmeter.root", "..")).toAbsolutePath().normalize();

    /** What a run printed, on stdout and stderr together, and its exit status. */
    public record Result(int exitCode, String output) {
        @Override
        public String toString() {
            return "promtool exited " + exitCode + (output.isEmpty() ? " and printed nothing" : ", printing:\n" + output);
        }
    }

    private Promtool() {}

    /** The promtool on PATH; fails the test, never skips it, when there is none. */
    public static Path executable() {
        String path = System.getenv("PATH");
        if (path != null) {
            for (String directory : path.split(File.pathSeparator)) {
                if (directory.isEmpty()) {
                    continue;
                }
                Path candidate = Path.of(directory, "promtool");
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    return candidate;
                }
            }
        }
        throw new AssertionError("promtool is not on PATH (" + path + "). Run `bash .ci/run` as root, which installs it,"
                + " or install Debian's prometheus package (apt-get install --no-install-recommends prometheus).");
    }

    /** {@code promtool arguments...} in the project root, with {@code stdin} as its input. */
    public static Result runWithInput(String stdin, String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(executable().toString());
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).directory(PROJECT_ROOT.toFile()).redirectErrorStream(true).start();
        Thread feeder = new Thread(() -> {
            try (OutputStream in = process.getOutputStream()) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                // promtool stopped reading; its output says why
            }
        });
        feeder.setDaemon(true);
        feeder.start();
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        Thread reader = new Thread(() -> {
            try (InputStream out = process.getInputStream()) {
                out.transferTo(output);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        reader.setDaemon(true);
        reader.start();
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            process.destroyForcibly().waitFor();
            throw new AssertionError("promtool " + String.join(" ", arguments) + " did not finish within 2 minutes");
        }
        reader.join(TimeUnit.SECONDS.toMillis(10));
        return new Result(process.exitValue(), output.toString(StandardCharsets.UTF_8));
    }

    public static Result run(String... arguments) throws IOException, InterruptedException {
        return runWithInput("", arguments);
    }

    /** {@code promtool check metrics} on a scrape: it must print nothing, as for lint-clean metrics. */
    public static void assertLintClean(Scrape scrape) throws IOException, InterruptedException {
        Result result = runWithInput(scrape.text(), "check", "metrics");
        if (!result.equals(new Result(0, ""))) {
            throw new AssertionError("promtool check metrics: " + result + "\nscrape:\n" + scrape.text());
        }
    }
}
