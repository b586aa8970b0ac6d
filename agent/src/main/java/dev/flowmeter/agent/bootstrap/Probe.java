package dev.flowmeter.agent.bootstrap;

/**
 * What one instrumented method records. Implementations live in the agent; this type lives in the
 * bootstrap class loader, so that advice inlined into a class of any class loader can reach them.
 */
public abstract class Probe {

    /**
     * Called on method entry; the value returned is handed back to {@link #exit}. Nothing by
     * default: only a probe that times its calls reads the clock here.
     */
    public long enter(Object self, Object argument) {
        return 0L;
    }

    /**
     * Called on method exit, normal or exceptional.
     *
     * @param argument the one argument the probe reads, or null when it reads none
     * @param returned the return value (boxed), or null for void methods and when {@code thrown} is set
     */
    public abstract void exit(long entered, Object self, Object argument, Object returned, Throwable thrown);

    /** Called when {@link #enter} or {@link #exit} itself failed; must not throw. */
    public abstract void failed(Throwable error);
}
