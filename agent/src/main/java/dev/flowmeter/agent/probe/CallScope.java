package dev.flowmeter.agent.probe;

/**
 * Something a timed call opens on entry and closes on exit, on the calling thread: lets methods
 * called inside it report to it (an HTTP status code from deep in a client library), and tells a
 * call nested in another of its kind that the outer one is measuring (an HTTP client's request
 * made by an orchestrator's API client is counted once).
 *
 * <p>Only the outermost call opens and closes it: a nested call learns on entry that it is nested
 * and leaves the scope alone on exit, so that its exit costs nothing (an OkHttp call passes through
 * six nested {@code Interceptor.Chain#proceed} calls); the outermost call's exit closes the scope
 * whatever happened inside, so there is no count that could drift.
 */
public interface CallScope {
    /** @return whether this is the outermost call of the scope on this thread, which opened it and must close it */
    boolean open();

    /** Called by the outermost call only. */
    void close();
}
