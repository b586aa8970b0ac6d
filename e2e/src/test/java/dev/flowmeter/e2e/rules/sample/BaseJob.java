package dev.flowmeter.e2e.rules.sample;

public abstract class BaseJob implements Job {
    private int runs;

    @Override
    public void run(String region) {
        runs++;
        work(region);
    }

    protected abstract void work(String region);

    public int runs() {
        return runs;
    }
}
