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

    /** Whether an outermost call is open on the thread, and what its entry found. */
    static final class Frame {
        boolean open;
        Object carried;
    }

    private final ThreadLocal<Frame> frames = ThreadLocal.withInitial(Frame::new);

    @Override
    public boolean open() {
        return openFrame() != null;
    }

    @Override
    public void close() {
        frames.get().open = false;
    }

    /** Opens the scope and returns the thread's frame, or returns null for a nested call. */
    Frame openFrame() {
        Frame frame = frames.get();
        if (frame.open) {
            return null;
        }
        frame.open = true;
        return frame;
    }

    /** This thread's frame, for the outermost call's exit, which closes it: {@code open = false}. */
    Frame frame() {
        return frames.get();
    }
}
