package dev.flowmeter.engines.springboot;

import dev.flowmeter.testkit.Truth;
import org.quartz.JobExecutionContext;
import org.quartz.JobExecutionException;
import org.springframework.scheduling.quartz.QuartzJobBean;

/** Reports on an order, whatever the order service answers. */
public class ReportJob extends QuartzJobBean {

    @Override
    protected void executeInternal(JobExecutionContext context) throws JobExecutionException {
        try {
            OrderClient.fetch(context.getMergedJobDataMap().getInt("order"));
            Truth.count("ok " + ReportJob.class.getName());
        } catch (java.io.IOException | InterruptedException unreachable) {
            Truth.count("failed " + ReportJob.class.getName() + " " + JobExecutionException.class.getSimpleName());
            throw new JobExecutionException(unreachable);
        } finally {
            Truth.count("finished");
        }
    }
}
