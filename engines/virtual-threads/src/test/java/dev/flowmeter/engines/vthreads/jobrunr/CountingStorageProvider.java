package dev.flowmeter.engines.vthreads.jobrunr;

import dev.flowmeter.testkit.Truth;
import java.util.List;
import org.jobrunr.jobs.Job;
import org.jobrunr.server.BackgroundJobServer;
import org.jobrunr.storage.InMemoryStorageProvider;
import org.jobrunr.storage.navigation.AmountRequest;

/**
 * JobRunr's in-memory storage, counting the polls for work (each passes three matched methods, counted once). A
 * copy of engines/jobrunr's, deliberately: see {@link VirtualJobRunrApp}.
 */
public class CountingStorageProvider extends InMemoryStorageProvider {

    @Override
    public List<Job> getJobsToProcess(BackgroundJobServer backgroundJobServer, AmountRequest amountRequest) {
        Truth.count("polls");
        return super.getJobsToProcess(backgroundJobServer, amountRequest);
    }
}
