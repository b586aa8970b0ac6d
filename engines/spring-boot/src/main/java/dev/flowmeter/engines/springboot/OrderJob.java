package dev.flowmeter.engines.springboot;

import dev.flowmeter.testkit.Truth;
import java.io.IOException;
import org.quartz.JobExecutionContext;
import org.quartz.JobExecutionException;
import org.springframework.scheduling.quartz.QuartzJobBean;

/**
 * A job on one order: fetches it from the order service, then succeeds or fails by what the service
 * answered, counting each outcome under the job's class, as the agent labels it.
 */
abstract class OrderJob extends QuartzJobBean {

    /** Whether the job succeeds with the order service's answer. */
    abstract boolean succeedsWith(int status);

    @Override
    protected final void executeInternal(JobExecutionContext context) throws JobExecutionException {
        int order = context.getMergedJobDataMap().getInt("order");
        try {
            if (!succeedsWith(OrderClient.fetch(order))) {
                throw new JobExecutionException("order " + order + " cannot be handled");
            }
            Truth.count("ok " + getClass().getName());
        } catch (JobExecutionException failed) {
            Truth.count("failed " + getClass().getName() + " " + JobExecutionException.class.getSimpleName());
            throw failed;
        } catch (IOException | InterruptedException unreachable) {
            Truth.count("failed " + getClass().getName() + " " + JobExecutionException.class.getSimpleName());
            throw new JobExecutionException(unreachable);
        } finally {
            Truth.count("finished");
        }
    }
}
