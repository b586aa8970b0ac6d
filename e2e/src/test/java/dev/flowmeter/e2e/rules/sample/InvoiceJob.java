package dev.flowmeter.e2e.rules.sample;

public class InvoiceJob extends BaseJob {
    @Override
    public String kind() {
        return "invoice";
    }

    @Override
    protected void work(String region) {}
}
