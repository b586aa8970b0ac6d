package dev.flowmeter.agent.metrics;

/** A timer family, exposed as a histogram or a summary in seconds. */
public interface Timer {

    /** One series of the family. Resolve once per label set and keep it: observing is the hot path. */
    interface Series {
        void observeNanos(long nanos);
    }

    Series series(String... labelValues);
}
