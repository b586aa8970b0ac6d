package dev.flowmeter.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * One call of a small method: {@code plain}, {@code labelled} and {@code fails} call {@link Work}
 * directly, and are run once without an agent and once under each agent (the suite's forks differ
 * only in their {@code -javaagent}); the {@code hand} ones call it through {@link HandWritten}, without
 * an agent, with histograms as {@code histograms} says (the agent's setting of that name). The
 * difference to the no-agent figure is what the instrumentation adds.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class CallBenchmark {

    /** A handful of label values, as task types are. */
    private static final String[] KINDS = {"invoice", "payment", "shipment", "refund"};

    private final Work work = new Work();
    /** classic, native or both, as the agent's {@code histograms} setting. */
    @Param({"classic"})
    public String histograms;

    private HandWritten hand;
    private int calls;

    @Setup
    public void setUp() {
        hand = new HandWritten(histograms);
    }

    @Benchmark
    public int plain() {
        return work.plain(calls++);
    }

    @Benchmark
    public int labelled() {
        int call = calls++;
        return work.labelled(KINDS[call & 3], call);
    }

    @Benchmark
    public int fails() {
        try {
            return work.fails(calls++);
        } catch (Work.Declined expected) {
            return -1;
        }
    }

    /** A call of a rule with a built-in role, run under {@code naming=prometheus} and {@code naming=conductor}. */
    @Benchmark
    public int update() {
        int call = calls++;
        return work.update(KINDS[call & 3], call);
    }

    // The hand ones mirror plain, labelled and fails on purpose: JMH times each method's own body, call for call.
    @Benchmark
    public int handPlain() {
        return hand.plain(calls++);
    }

    @Benchmark
    public int handLabelled() {
        int call = calls++;
        return hand.labelled(KINDS[call & 3], call);
    }

    @Benchmark
    public int handFails() {
        try {
            return hand.fails(calls++);
        } catch (Work.Declined expected) {
            return -1;
        }
    }
}
