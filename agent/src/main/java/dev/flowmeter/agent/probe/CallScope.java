package dev.flowmeter.agent.probe;

/**
 * Something a timed call opens on entry and closes on exit, on the calling thread: lets methods
 * called inside it report to it (an HTTP status code from deep in a client library).
 */
public interface CallScope {
    void open();

    void close();
}
