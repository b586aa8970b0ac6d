package dev.flowmeter.engines.conductor5;

/** conductor-client 5's default: executions on a pool of platform threads, results through {@code POST /tasks}. */
class Conductor5PlatformThreadsTest extends Conductor5EndToEndTest {

    @Override
    boolean virtualThreads() {
        return false;
    }

    @Override
    boolean updateV2() {
        return false;
    }
}
