package dev.flowmeter.agent.rules.expr;

/** Where one label's value comes from in an instrumented call. */
public interface LabelSource {

    /** Marks a source that reads no argument. */
    int NO_ARGUMENT = -1;

    String value(Object self, Object argument, Object returned, Throwable thrown);

    /**
     * The value itself rather than its label text, for a key that needs a number (a workflow end's
     * {@code started_at}); a source that only has text, such as a shared label, yields that.
     */
    default Object evaluate(Object self, Object argument, Object returned, Throwable thrown) {
        return value(self, argument, returned, thrown);
    }

    /**
     * The value as a number, for a histogram's value.
     *
     * @throws ExpressionException if it is not a number
     */
    default double number(Object self, Object argument, Object returned, Throwable thrown) {
        Object value = evaluate(self, argument, returned, thrown);
        if (!(value instanceof Number)) {
            throw new ExpressionException("value '" + this + "' gave " + dev.flowmeter.agent.metrics.LabelValues.of(value)
                    + ", not a number");
        }
        return ((Number) value).doubleValue();
    }

    /** The index of the argument this source reads, or {@link #NO_ARGUMENT}. */
    default int argumentIndex() {
        return NO_ARGUMENT;
    }

    /** Whether this source reads the call's return value or what it threw, so is known only when it ends. */
    default boolean readsOutcome() {
        return false;
    }

    /**
     * A source made from another, whose value it passes on or changes: it reads what that one
     * reads, so it answers {@link #argumentIndex} and {@link #readsOutcome} as that one does.
     */
    abstract class Derived implements LabelSource {
        protected final LabelSource source;

        protected Derived(LabelSource source) {
            this.source = source;
        }

        @Override
        public int argumentIndex() {
            return source.argumentIndex();
        }

        @Override
        public boolean readsOutcome() {
            return source.readsOutcome();
        }
    }
}
