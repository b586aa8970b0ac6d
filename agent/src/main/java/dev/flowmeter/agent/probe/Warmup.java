package dev.flowmeter.agent.probe;

import dev.flowmeter.agent.bootstrap.Probe;
import dev.flowmeter.agent.config.ConfigException;
import dev.flowmeter.agent.metrics.Metrics;
import dev.flowmeter.agent.report.Report;
import dev.flowmeter.agent.rules.BuiltIn;
import dev.flowmeter.agent.rules.Rule;
import dev.flowmeter.agent.rules.RuleParser;
import dev.flowmeter.agent.rules.RuleSet;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * Runs each kind of probe once at start-up, on the agent's thread, against metrics that are never
 * served: the rules of {@code warm-up.yaml}, called on a {@link Sample} as a woven method would call
 * them, returning, failing by condition, throwing, and completing asynchronously either way.
 *
 * <p>Why: the first call of a probe loads classes (the agent's own, the JDK's it refers to,
 * client_java's data points) and makes method-handle forms. Made by the application's first calls,
 * that work pins virtual threads: one waiting while another loads the same class stays on its
 * carrier (Temurin 25's JFR showed 1 to 5 such parks per run of engines/virtual-threads before).
 */
public final class Warmup {

    private static final String RULES = "/dev/flowmeter/agent/probe/warm-up.yaml";

    /**
     * Classes of the JDK that recording needs only when two threads contend, which a warm-up on one
     * thread never does: the cells a {@code LongAdder} (client_java's counts) adds under contention
     * and the random probe it picks them by, and a {@code ConcurrentHashMap}'s (the agent's series
     * indexes) size cells and the node it forwards by while it grows. CI's Temurin 25 run saw a
     * virtual thread pinned waiting for another to initialise {@code Striped64$Cell}.
     */
    private static final String[] CONTENDED = {
        "java.util.concurrent.atomic.Striped64$Cell", "java.util.concurrent.ThreadLocalRandom",
        "java.util.concurrent.ConcurrentHashMap$CounterCell", "java.util.concurrent.ConcurrentHashMap$ForwardingNode"};

    private Warmup() {}

    /**
     * Runs the warm-up rules, with the agent's run time (their calls are on the warm-up's thread, whose
     * scopes and shared labels are its own); a failure is the agent's own bug, and only costs the warm-up.
     */
    public static void run(Metrics unserved, RunTime runTime) {
        initialise(CONTENDED);
        try {
            List<Rule> rules = rules();
            ProbeMaker maker = new ProbeMaker(unserved, runTime);
            Probe[] probes = new Probe[rules.size()];
            for (int i = 0; i < probes.length; i++) {
                probes[i] = maker.make(new RuleState(rules.get(i)));
            }
            for (String kind : new String[] {"plain", "failing"}) {
                Sample sample = new Sample(kind);
                call(probes, sample, CompletableFuture.completedFuture(sample), null);
                call(probes, sample, failed(), null);
                pending(probes, sample).complete(sample);
                pending(probes, sample).completeExceptionally(new IOException("warm-up"));
                call(probes, sample, null, new ExecutionException(new IOException("warm-up")));
                call(probes, sample, null, new IllegalStateException("warm-up"));
            }
        } catch (RuntimeException | ConfigException | LinkageError bug) {
            Report.warning("the agent's warm-up failed (" + bug
                    + "); the first instrumented calls may load the agent's classes instead");
        }
    }

    /** Initialises the named classes of the JDK; one a JDK does not have needs no warming. */
    private static void initialise(String[] classes) {
        for (String name : classes) {
            try {
                Class.forName(name, true, null);
            } catch (ClassNotFoundException absent) {
                // another JDK's internals: nothing of it to warm
            }
        }
    }

    /**
     * One call of the rules' method, as a woven method makes it: each probe entered in the rules'
     * order and left in the reverse, so that the later rules run inside the earlier ones (an API
     * response inside its request, say).
     */
    private static void call(Probe[] probes, Sample sample, Object returned, Throwable thrown) {
        Object argument = "/warm-up";
        long[] entered = new long[probes.length];
        for (int i = 0; i < probes.length; i++) {
            entered[i] = probes[i].enter(sample, argument);
        }
        for (int i = probes.length - 1; i >= 0; i--) {
            probes[i].exit(entered[i], sample, argument, returned, thrown);
        }
    }

    /**
     * A call that returns a future still pending, completed by the caller afterwards: the probe's
     * callback is then queued on the future ({@code CompletableFuture$UniWhenComplete}, a class a
     * completed future never needs) and run by the completing thread.
     */
    private static CompletableFuture<Object> pending(Probe[] probes, Sample sample) {
        CompletableFuture<Object> future = new CompletableFuture<>();
        call(probes, sample, future, null);
        return future;
    }

    private static CompletableFuture<Object> failed() {
        CompletableFuture<Object> future = new CompletableFuture<>();
        future.completeExceptionally(new IOException("warm-up"));
        return future;
    }

    private static List<Rule> rules() throws ConfigException {
        RuleSet warmUp = BuiltIn.read(RULES, "warm-up", false, new RuleParser());
        if (!warmUp.problems().isEmpty()) {
            throw new IllegalStateException(String.join("; ", warmUp.problems()));
        }
        return warmUp.rules();
    }

    /** What the warm-up rules measure: an object with a method, an int field and an int-valued method. */
    static final class Sample {
        private final String kind;
        private final int code = 200;

        Sample(String kind) {
            this.kind = kind;
        }

        public String kind() {
            return kind;
        }
    }
}
