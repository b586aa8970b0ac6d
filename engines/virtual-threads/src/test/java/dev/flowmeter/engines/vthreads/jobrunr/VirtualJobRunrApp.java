package dev.flowmeter.engines.vthreads.jobrunr;

import dev.flowmeter.testkit.Truth;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.jobrunr.configuration.JobRunr;
import org.jobrunr.jobs.JobId;
import org.jobrunr.scheduling.BackgroundJob;
import org.jobrunr.server.BackgroundJobServer;
import org.jobrunr.server.BackgroundJobServerConfiguration;
import org.jobrunr.server.configuration.BackgroundJobServerThreadType;
import org.jobrunr.server.configuration.DefaultBackgroundJobServerWorkerPolicy;

/**
 * JobRunr with in-memory storage and a background job server whose workers are virtual threads (its
 * default on Java 21 and later, asked for here by name), in the JVM the agent instruments. It
 * enqueues a fixed load with failures, prints what it counted, stops the server, prints its polls,
 * and exits when the test says {@code exit}.
 *
 * <p>This package deliberately repeats engines/jobrunr's fixture (its load, storage and filter): this
 * module runs apart, on a JDK of Java 21 or later, and depends on no other module's test classes.
 * Sharing them would take engines/jobrunr's test-jar (a goal there, a dependency here) for the two
 * classes that are the same, StateCounter and CountingStorageProvider, a dozen lines each: its Work
 * holds jobs and its application pauses and resumes the server, which these do not.
 */
public final class VirtualJobRunrApp {

    public static final int LOAD = 1_000;
    public static final int WORKERS = 64;

    public static void main(String[] args) throws Exception {
        CountingStorageProvider storage = new CountingStorageProvider();
        JobRunr.configure()
                .useStorageProvider(storage)
                .withJobFilter(new StateCounter())
                .useBackgroundJobServer(BackgroundJobServerConfiguration.usingStandardBackgroundJobServerConfiguration()
                        .andBackgroundJobServerWorkerPolicy(new DefaultBackgroundJobServerWorkerPolicy(WORKERS,
                                BackgroundJobServerThreadType.VirtualThreads))
                        .andPollIntervalInSeconds(5))
                .initialize();
        BackgroundJobServer server = JobRunr.getBackgroundJobServer();
        Work work = new Work();

        for (int n = 0; n < LOAD; n++) {
            if (n % 3 == 0) {
                String report = "report-" + n;
                signature("report", storage, BackgroundJob.enqueue(() -> work.report(report)));
            } else {
                String order = "order-" + n;
                signature("invoice", storage, BackgroundJob.enqueue(() -> work.invoice(order)));
            }
        }
        Truth.await("saved", LOAD, Duration.ofSeconds(150));
        server.stop();
        Truth.print("");
        System.out.println("done");
        BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = commands.readLine(); line != null && !line.equals("exit"); line = commands.readLine()) {
            // keep serving metrics until the test says exit
        }
        System.exit(0);
    }

    /** Counts an enqueue, and prints the signature JobRunr gave the first job of its kind. */
    private static void signature(String method, CountingStorageProvider storage, JobId id) {
        Truth.count("enqueued " + method);
        if (Truth.get("enqueued " + method) == 1) {
            System.out.println("signature " + method + " " + storage.getJobById(id).getJobSignature());
        }
    }
}
