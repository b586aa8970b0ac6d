package dev.flowmeter.engines.vthreads.jobrunr;

import dev.flowmeter.testkit.Truth;
import org.jobrunr.jobs.Job;
import org.jobrunr.jobs.filters.ApplyStateFilter;
import org.jobrunr.jobs.states.JobState;
import org.jobrunr.jobs.states.StateName;

/**
 * Counts, through JobRunr's public filter API, the states saved for jobs that finished running. A
 * copy of engines/jobrunr's, deliberately: see {@link VirtualJobRunrApp}.
 */
public class StateCounter implements ApplyStateFilter {

    @Override
    public void onStateApplied(Job job, JobState oldState, JobState newState) {
        if (oldState != null && oldState.getName() == StateName.PROCESSING) {
            Truth.count("saved " + job.getJobDetails().getMethodName() + " " + newState.getName());
            Truth.count("saved");
        }
    }
}
