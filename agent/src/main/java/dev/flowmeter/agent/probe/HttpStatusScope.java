package dev.flowmeter.agent.probe;

import dev.flowmeter.agent.bootstrap.Probe;
import dev.flowmeter.agent.rules.ProbeSpec;
import dev.flowmeter.agent.rules.expr.LabelSource;

/**
 * The HTTP status of the API call in progress on this thread: a probe on the method that sees the
 * response {@link #report}s it, and the API call's {@code status} label {@link #label reads} it.
 * A call that got no response reads {@code error}.
 */
public final class HttpStatusScope implements CallScope {

    private static final class State {
        boolean open;
        String status = ProbeSpec.NO_RESPONSE;
    }

    private final ThreadLocal<State> state = ThreadLocal.withInitial(State::new);

    @Override
    public boolean open() {
        State current = state.get();
        if (current.open) {
            return false;
        }
        current.open = true;
        current.status = ProbeSpec.NO_RESPONSE;
        return true;
    }

    @Override
    public void close() {
        state.get().open = false;
    }

    /** The status label of the call in progress. */
    public LabelSource label() {
        return (self, argument, returned, thrown) -> state.get().status;
    }

    /**
     * A probe that reports the status code that {@code code} yields to the call in progress, when
     * the method returns or throws, so that {@code code} may read the return value; a code that
     * yields nothing (the method threw before it had one) leaves the status as it was.
     */
    Probe report(ProbeContext context, LabelSource code) {
        return new RuleProbe(context) {
            @Override
            public void exit(long entered, Object self, Object argument, Object returned, Throwable thrown) {
                State current = state.get();
                if (current.open) {
                    String status = code.value(self, argument, returned, thrown);
                    if (!status.isEmpty()) {
                        current.status = status;
                    }
                }
            }
        };
    }
}
