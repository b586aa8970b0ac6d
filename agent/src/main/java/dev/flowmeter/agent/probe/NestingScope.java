package dev.flowmeter.agent.probe;

/**
 * The calls of one rule on the calling thread. A rule matches a type and every subtype, so one
 * operation can pass through several matched methods: an override that calls {@code super}, a
 * wrapper that delegates to the object it wraps (JobRunr wraps every storage provider so). The
 * outermost call measures it, once.
 */
final class NestingScope implements CallScope {

    private final ThreadLocal<int[]> depth = ThreadLocal.withInitial(() -> new int[1]);

    @Override
    public boolean open() {
        return depth.get()[0]++ == 0;
    }

    @Override
    public void close() {
        depth.get()[0]--;
    }
}
