package dev.flowmeter.agent.probe;

/**
 * Something a timed call opens on entry and closes on exit, on the calling thread: lets methods
 * called inside it report to it (an HTTP status code from deep in a client library), and tells a
 * call nested in another of its kind that the outer one is measuring (an HTTP client's request
 * made by an orchestrator's API client is counted once).
 */
public interface CallScope {
    /** @return whether this is the outermost call of the scope on this thread */
    boolean open();

    void close();
}
