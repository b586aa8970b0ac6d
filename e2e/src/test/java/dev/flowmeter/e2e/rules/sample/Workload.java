package dev.flowmeter.e2e.rules.sample;

import java.util.Map;
import java.util.TreeMap;

/**
 * Exercises the sample scheduler and prints what it did as {@code truth KEY COUNT} lines, the ground
 * truth for the rules test. Loaded by a child class loader of its own.
 */
public final class Workload implements Runnable {

    static final int PROCESSED = 120;
    static final int TAGS = 100_000;
    static final String[] REGIONS = {"eu", "us", "apac"};

    private final Map<String, Integer> truth = new TreeMap<>();

    @Override
    public void run() {
        Runner runner = new Runner("main");
        Job[] jobs = {new InvoiceJob(), new ReportJob(), new CleanupJob()};
        for (int i = 0; i < PROCESSED; i++) {
            Job job = jobs[i % jobs.length];
            String region = REGIONS[(i / jobs.length) % REGIONS.length];
            String key = job.kind() + "/" + region;
            try {
                runner.process(job, region);
                count("ok " + key);
            } catch (UnsupportedOperationException expected) {
                count("failed " + key);
            }
            count("run " + job.getClass().getSimpleName());
        }
        for (int i = 0; i < 50; i++) {
            count("settled " + runner.settle(i).name());
        }
        for (int i = 0; i < TAGS; i++) {
            runner.tag(new Tag("tag-" + i));
        }
        count("tags", TAGS);
        truth.forEach((key, count) -> System.out.println("truth " + key + " " + count));
    }

    private void count(String key) {
        count(key, 1);
    }

    private void count(String key, int n) {
        truth.merge(key, n, Integer::sum);
    }
}
