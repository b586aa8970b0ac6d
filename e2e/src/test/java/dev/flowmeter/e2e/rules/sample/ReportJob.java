package dev.flowmeter.e2e.rules.sample;

/** Fails in one region, so that errors are recorded by exception. */
public class ReportJob extends BaseJob {
    @Override
    public String kind() {
        return "report";
    }

    @Override
    protected void work(String region) {
        if (region.equals("us")) {
            throw new UnsupportedOperationException("no reports in " + region);
        }
    }
}
