package dev.flowmeter.engines.vthreads.jobrunr;

import dev.flowmeter.engines.vthreads.fixture.VirtualThreads;
import dev.flowmeter.testkit.Truth;
import java.io.IOException;
import org.jobrunr.jobs.annotations.Job;

/**
 * The jobs: JobRunr makes a new instance per run and invokes the method by reflection. Failures are
 * not retried, so each enqueued job runs once. Each counts whether it ran on a virtual thread.
 * Unlike engines/jobrunr's, none is held (see {@link VirtualJobRunrApp} for why they are apart).
 */
public class Work {

    /** Fails, unchecked, when the order's number is a multiple of 4. */
    @Job(retries = 0)
    public void invoice(String order) {
        ranOn();
        Thread.yield();
        if (number(order) % 4 == 0) {
            Truth.count("failed invoice IllegalStateException");
            throw new IllegalStateException("invoice rejected");
        }
        Truth.count("ok invoice");
    }

    // invoice and report are alike on purpose: JobRunr invokes each by name, and the tests count the errors of
    // both an unchecked (IllegalStateException) and a checked (IOException) failure.
    /** Fails, checked, when the report's number is a multiple of 5. */
    @Job(retries = 0)
    public void report(String report) throws IOException {
        ranOn();
        Thread.yield();
        if (number(report) % 5 == 0) {
            Truth.count("failed report IOException");
            throw new IOException("report source missing");
        }
        Truth.count("ok report");
    }

    private static void ranOn() {
        Truth.count(VirtualThreads.isVirtual(Thread.currentThread()) ? "ran virtual" : "ran platform");
    }

    private static int number(String name) {
        return Integer.parseInt(name.substring(name.indexOf('-') + 1));
    }
}
