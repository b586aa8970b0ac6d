package dev.flowmeter.e2e;

import static org.junit.jupiter.api.Assertions.fail;

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

/** Runs Prometheus' {@code promtool} from PATH in the project root, the e2e module's parent. */
final class Promtool {

    static final Path PROJECT_ROOT = Path.of("..").toAbsolutePath().normalize();

    /** What a run printed, on stdout and stderr together, and its exit status. */
    record Result(int exitCode, String output) {
        @Override
        public String toString() {
            return "promtool exited " + exitCode + (output.isEmpty() ? " and printed nothing" : ", printing:\n" + output);
        }
    }

    private Promtool() {}

    /** The promtool on PATH; fails the test, never skips it, when there is none. */
    static Path executable() {
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
        return fail("promtool is not on PATH (" + path + "). Run `bash .ci/run` as root, which installs it, or install"
                + " Debian's prometheus package (apt-get install --no-install-recommends prometheus), which provides it.");
    }

    /** {@code promtool arguments...} in the project root, with {@code stdin} as its input. */
    static Result runWithInput(String stdin, String... arguments) throws IOException, InterruptedException {
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
            fail("promtool " + String.join(" ", arguments) + " did not finish within 2 minutes");
        }
        reader.join(TimeUnit.SECONDS.toMillis(10));
        return new Result(process.exitValue(), output.toString(StandardCharsets.UTF_8));
    }

    static Result run(String... arguments) throws IOException, InterruptedException {
        return runWithInput("", arguments);
    }
}
