package dev.flowmeter.e2e.rules.sample;

/** A job of an in-house scheduler: the interface that rules instrument in every implementation. */
public interface Job {
    String kind();

    void run(String region);
}
