package dev.flowmeter.e2e.rules.sample;

public class Runner {
    private final String name;

    public Runner(String name) {
        this.name = name;
    }

    public String name() {
        return name;
    }

    /** Runs a job in a region; what the job throws reaches the caller. */
    public int process(Job job, String region) {
        job.run(region);
        return 1;
    }

    public Outcome settle(int invoice) {
        return Outcome.values()[invoice % Outcome.values().length];
    }

    public void tag(Tag tag) {}
}
