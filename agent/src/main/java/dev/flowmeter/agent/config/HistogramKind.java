package dev.flowmeter.agent.config;

/** How histograms are recorded and served ({@link Setting#HISTOGRAMS}). */
public enum HistogramKind {
    /** Classic buckets only, in every format. */
    CLASSIC,
    /** Native (exponential) buckets only, served in protobuf; a text scrape shows their count and sum. */
    NATIVE,
    /** Both: native buckets in protobuf, classic buckets in text and in protobuf beside them. */
    BOTH
}
