package dev.flowmeter.e2e.rules.sample;

/** Not public, and not a BaseJob: rules on Job still find it. */
final class CleanupJob implements Job {
    // Alike to InvoiceJob on purpose: the rule on Job finds both and labels each by its class's simple name,
    // so they differ in their classes, not in their bodies' shape.
    @Override
    public String kind() {
        return "cleanup";
    }

    @Override
    public void run(String region) {}
}
