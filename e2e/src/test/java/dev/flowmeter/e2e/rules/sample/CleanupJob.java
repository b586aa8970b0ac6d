package dev.flowmeter.e2e.rules.sample;

/** Not public, and not a BaseJob: rules on Job still find it. */
final class CleanupJob implements Job {
    @Override
    public String kind() {
        return "cleanup";
    }

    @Override
    public void run(String region) {}
}
