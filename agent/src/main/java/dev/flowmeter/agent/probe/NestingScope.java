package dev.flowmeter.agent.probe;

/**
 * The calls of one rule on the calling thread. A rule matches a type and every subtype, so one
 * operation can pass through several matched methods: an override that calls {@code super}, a
 * wrapper that delegates to the object it wraps (JobRunr wraps every storage provider so). The
 * outermost call measures it, once.
 *
 * <p>A probe that looks up something on entry that its exit needs too (the series of a call counted
 * in progress) keeps it in the thread's {@link Frame}, which the scope fetches anyway: the probe's
 * entry hands its exit only a {@code long}.
 */
final class NestingScope implements CallScope {

    /** The thread's depth in the rule's calls, and what the outermost call's entry found. */
    static final class Frame {
        int depth;
        Object carried;
    }

    private final ThreadLocal<Frame> frames = ThreadLocal.withInitial(Frame::new);

    @Override
    public boolean open() {
        return frames.get().depth++ == 0;
    }

    @Override
    public void close() {
        frames.get().depth--;
    }

    /** This thread's frame, for a probe that opens and closes it itself: {@code depth++} and {@code depth--}. */
    Frame frame() {
        return frames.get();
    }
}
