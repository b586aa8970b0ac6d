package dev.flowmeter.e2e.rules.sample;

import java.util.ArrayList;
import java.util.List;

/** A worker pool whose size a gauge rule samples from each live instance. */
public class Pool {
    private final String name;
    private final List<String> workers = new ArrayList<>();

    public Pool(String name, int size) {
        this.name = name;
        for (int i = 0; i < size; i++) {
            workers.add(name + "-" + i);
        }
    }

    public String name() {
        return name;
    }

    public List<String> getWorkers() {
        return workers;
    }
}
