package dev.flowmeter.engines.springboot;

import dev.flowmeter.testkit.Truth;
import org.quartz.JobExecutionContext;
import org.quartz.JobExecutionException;
import org.springframework.scheduling.quartz.QuartzJobBean;

/** Invoices an order; fails, as a job would, when the order service has no such order. */
public class InvoiceJob extends QuartzJobBean {

    @Override
    protected void executeInternal(JobExecutionContext context) throws JobExecutionException {
        int order = context.getMergedJobDataMap().getInt("order");
        try {
            if (OrderClient.fetch(order) != 200) {
                Truth.count("failed " + InvoiceJob.class.getName() + " " + JobExecutionException.class.getSimpleName());
                throw new JobExecutionException("no order " + order);
            }
            Truth.count("ok " + InvoiceJob.class.getName());
        } catch (java.io.IOException | InterruptedException unreachable) {
            Truth.count("failed " + InvoiceJob.class.getName() + " " + JobExecutionException.class.getSimpleName());
            throw new JobExecutionException(unreachable);
        } finally {
            Truth.count("finished");
        }
    }
}
