package dev.flowmeter.engines.conductor5;

/**
 * Executions on virtual threads ({@code TaskRunnerConfigurer.Builder#withUseVirtualThreads}) and results through
 * {@code POST /tasks/update-v2}: the update's task type comes from the execution before it on the same thread,
 * here a virtual one.
 */
class Conductor5VirtualThreadsTest extends Conductor5EndToEndTest {

    @Override
    boolean virtualThreads() {
        return true;
    }

    @Override
    boolean updateV2() {
        return true;
    }
}
