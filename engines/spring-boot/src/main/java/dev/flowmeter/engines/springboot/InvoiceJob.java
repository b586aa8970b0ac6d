package dev.flowmeter.engines.springboot;

/** Invoices an order; fails, as a job would, when the order service has no such order. */
public class InvoiceJob extends OrderJob {

    @Override
    boolean succeedsWith(int status) {
        return status == 200;
    }
}
