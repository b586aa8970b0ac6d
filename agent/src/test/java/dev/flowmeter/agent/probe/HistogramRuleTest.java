package dev.flowmeter.agent.probe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flowmeter.agent.bootstrap.Probe;
import dev.flowmeter.agent.config.ConfigFile;
import dev.flowmeter.agent.config.HistogramKind;
import dev.flowmeter.agent.config.Naming;
import dev.flowmeter.agent.config.TimerKind;
import dev.flowmeter.agent.metrics.Metrics;
import dev.flowmeter.agent.rules.Rule;
import dev.flowmeter.agent.rules.RuleException;
import dev.flowmeter.agent.rules.RuleParser;
import dev.flowmeter.agent.rules.expr.ExpressionException;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBucket;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.io.StringReader;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Rules of kind {@code histogram}: a value read from each call, in buckets of the rule's own or a built-in family's. */
class HistogramRuleTest {

    /** What a rule reads its value from, as an application's payload object would offer it. */
    public static final class Payload {
        private final String kind;
        private final long size;

        public Payload(String kind, long size) {
            this.kind = kind;
            this.size = size;
        }

        public String getKind() {
            return kind;
        }

        public long getSize() {
            return size;
        }
    }

    private static final String RULE = "{class: a.Store, method: put, histogram: stored_bytes, value: arg0.getSize(),"
            + " labels: {kind: arg0.getKind()}, buckets: [10, 100, 1000]";

    @Test
    void eachCallsValueIsObservedInTheRulesBucketsByLabel() throws Exception {
        Metrics metrics = metrics(HistogramKind.CLASSIC, Naming.PROMETHEUS);
        Probe probe = probe(metrics, RULE + "}");
        for (long size : new long[] {5, 50, 500, 5000, 50}) {
            probe.exit(probe.enter(null, new Payload("invoice", size)), null, new Payload("invoice", size), null, null);
        }
        probe.exit(0, null, new Payload("receipt", 7), null, null);
        probe.exit(0, null, new Payload("receipt", 70), null, new IllegalStateException("not stored"));

        HistogramSnapshot.HistogramDataPointSnapshot invoice = point(metrics, "stored_bytes", "kind", "invoice");
        assertEquals(5, invoice.getCount());
        assertEquals(5605, invoice.getSum());
        assertEquals(List.of("10.0:1", "100.0:3", "1000.0:4", "Infinity:5"), cumulative(invoice));
        HistogramSnapshot.HistogramDataPointSnapshot receipt = point(metrics, "stored_bytes", "kind", "receipt");
        assertEquals(1, receipt.getCount(), "a call that threw records nothing");
    }

    @Test
    void aConditionChoosesTheCallsThatCount() throws Exception {
        Metrics metrics = metrics(HistogramKind.CLASSIC, Naming.PROMETHEUS);
        Probe probe = probe(metrics, RULE + ", when: {value: arg0.getKind(), in: [invoice]}}");
        probe.exit(0, null, new Payload("invoice", 20), null, null);
        probe.exit(0, null, new Payload("receipt", 30), null, null);
        assertEquals(1, point(metrics, "stored_bytes", "kind", "invoice").getCount());
        assertTrue(points(metrics, "stored_bytes").size() == 1, "the receipt was not recorded");
    }

    @Test
    void aValueThatIsNotANumberIsReportedAsTheRulesError() throws Exception {
        Metrics metrics = metrics(HistogramKind.CLASSIC, Naming.PROMETHEUS);
        Probe probe = probe(metrics, "{class: a.Store, method: put, histogram: kinds, value: arg0.getKind(),"
                + " buckets: [1]}");
        ExpressionException error = assertThrows(ExpressionException.class,
                () -> probe.exit(0, null, new Payload("invoice", 1), null, null));
        assertEquals("value 'arg0.getKind()' is not a number", error.getMessage());
    }

    @Test
    void nativeAndBothKeepNativeBucketsAndBothAndClassicKeepTheClassicOnes() throws Exception {
        for (HistogramKind kind : HistogramKind.values()) {
            Metrics metrics = metrics(kind, Naming.PROMETHEUS);
            Probe probe = probe(metrics, RULE + "}");
            probe.exit(0, null, new Payload("invoice", 50), null, null);
            HistogramSnapshot.HistogramDataPointSnapshot point = point(metrics, "stored_bytes", "kind", "invoice");
            assertEquals(kind != HistogramKind.CLASSIC, point.hasNativeHistogramData(), kind.toString());
            assertEquals(kind != HistogramKind.NATIVE, point.hasClassicHistogramData(), kind.toString());
            assertEquals(1, point.getCount(), kind.toString());
        }
    }

    @Test
    void theBuiltInTaskResultSizeIsLabelledAsTheNamingSaysWithItsBytesBuckets() throws Exception {
        Metrics metrics = metrics(HistogramKind.CLASSIC, Naming.CONDUCTOR);
        Probe probe = probe(metrics, "{class: a.Store, method: put, histogram: task_result_size, value: arg0.getSize(),"
                + " labels: {task_type: arg0.getKind()}}");
        probe.exit(0, null, new Payload("charge", 300), null, null);
        HistogramSnapshot.HistogramDataPointSnapshot point = point(metrics, "task_result_size", "taskType", "charge");
        assertEquals(300, point.getSum());
        assertEquals("1024.0:1", cumulative(point).get(2));
    }

    @Test
    void bucketsPerMetricReplaceABuiltInFamilysBuckets() throws Exception {
        Metrics metrics = new Metrics(TimerKind.HISTOGRAM, Naming.PROMETHEUS, HistogramKind.CLASSIC,
                name -> name.equals("task_result_size") ? new double[] {100, 200} : null, name -> 100, 10,
                Duration.ofMinutes(1), "test");
        Probe probe = probe(metrics, "{class: a.Store, method: put, histogram: task_result_size, value: arg0.getSize(),"
                + " labels: {task_type: arg0.getKind()}}");
        probe.exit(0, null, new Payload("charge", 150), null, null);
        assertEquals(List.of("100.0:0", "200.0:1", "Infinity:1"),
                cumulative(point(metrics, "task_result_size", "task_type", "charge")));
    }

    @Test
    void aTimerRuleTakesBucketsToo() throws Exception {
        Metrics metrics = metrics(HistogramKind.CLASSIC, Naming.PROMETHEUS);
        Probe probe = probe(metrics, "{class: a.Store, method: put, timer: put_seconds, buckets: [0.5, 5]}");
        probe.exit(probe.enter(null, null), null, null, null, null);
        assertEquals(List.of("0.5:1", "5.0:1", "Infinity:1"), cumulative(point(metrics, "put_seconds", "status", "SUCCESS")));
    }

    @Test
    void twoRulesOfOneHistogramShareItOnlyWithTheSameLabelsAndBuckets() throws Exception {
        Metrics metrics = metrics(HistogramKind.CLASSIC, Naming.PROMETHEUS);
        probe(metrics, RULE + "}");
        probe(metrics, RULE + "}");
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> probe(metrics,
                RULE.replace("[10, 100, 1000]", "[1, 2]") + "}"));
        assertEquals("histogram stored_bytes is already recorded with labels [kind] and buckets [10.0, 100.0, 1000.0];"
                + " give this rule the same, or another name", error.getMessage());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{class: a.B, method: m, histogram: sizes, value: arg0.size()}"
                + "|rule B#m needs 'buckets' for histogram sizes; give a list of bucket upper bounds in increasing order,"
                + " such as [0.01, 0.1, 1, 10]",
        "{class: a.B, method: m, histogram: sizes, value: arg0.size(), buckets: [1, 10, 5]}"
                + "|rule B#m has 'buckets: [1, 10, 5]', which has 5 after 10, not in increasing order; give a list of"
                + " bucket upper bounds in increasing order, such as [0.01, 0.1, 1, 10]",
        "{class: a.B, method: m, histogram: sizes, value: arg0.size(), buckets: [1, x]}"
                + "|rule B#m has 'buckets: [1, x]', which has 'x', which is not a finite number; give a list of bucket"
                + " upper bounds in increasing order, such as [0.01, 0.1, 1, 10]",
        "{class: a.B, method: m, histogram: sizes_total, value: arg0.size(), buckets: [1]}"
                + "|rule B#m has histogram 'sizes_total'; its series add _bucket, _count, _sum themselves, so give a"
                + " name that ends in none of [_bucket, _count, _sum, _total, _created]",
        "{class: a.B, method: m, histogram: sizes, timer: m_seconds, value: arg0.size(), buckets: [1]}"
                + "|rule B#m has both a histogram and 'timer'; a histogram rule records one value, so give 'timer' a"
                + " rule of its own",
        "{class: a.B, method: m, histogram: sizes, buckets: [1]}"
                + "|rule B#m needs 'value'; give an expression such as arg0, return or this.getName()",
        "{class: a.B, method: m, histogram: sizes, value: shared.task_type, buckets: [1]}"
                + "|rule B#m has 'value: shared.task_type'; a shared label is text, and a histogram's value is a"
                + " number read from the call",
        "{class: a.B, method: m, histogram: task_result_size, value: arg0.size(), labels: {taskType: arg0}}"
                + "|rule B#m has labels [taskType] for the built-in histogram task_result_size, which has labels"
                + " [task_type]; give exactly those",
        "{class: a.B, method: m, histogram: task_result_size, value: arg0.size(), labels: {task_type: arg0},"
                + " buckets: [1]}"
                + "|rule B#m gives buckets to the built-in histogram task_result_size; give them in buckets_per_metric"
                + " at the top of the file",
        "{class: a.B, method: m, histogram: task_poll_total, value: arg0.size(), labels: {task_type: arg0}}"
                + "|rule B#m has histogram 'task_poll_total'; its series add _bucket, _count, _sum themselves, so give"
                + " a name that ends in none of [_bucket, _count, _sum, _total, _created]",
        "{class: a.B, method: m, histogram: workflow_active, value: arg0.size(), labels: {workflow_type: arg0}}"
                + "|rule B#m has histogram 'workflow_active', which is the built-in gauge of that name; give another name",
        "{class: a.B, method: m, role: task_execute, labels: {task_type: arg0}, buckets: [1]}"
                + "|rule B#m has 'buckets', which only a histogram or a timer of the rule's own takes; give a built-in"
                + " family's buckets in buckets_per_metric at the top of the file",
        "{class: a.B, method: m, histogram: sizes, value: arg0.size(), buckets: [1], async: true}"
                + "|rule B#m has 'async', which only a rule that times calls takes",
    })
    void aMistakeSaysWhatToChange(String rule, String message) {
        assertEquals(message, assertThrows(RuleException.class,
                () -> new RuleParser().parse(ConfigFile.read(new StringReader(rule), "test"), 1)).getMessage());
    }

    /** A value read through a getter of a primitive is widened, never boxed: recording allocates nothing. */
    @Test
    void recordingAPrimitiveValueAllocatesNothing() throws Exception {
        Metrics metrics = metrics(HistogramKind.CLASSIC, Naming.PROMETHEUS);
        Probe probe = probe(metrics, RULE + "}");
        Payload payload = new Payload("invoice", 123_456);
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long allocated = Long.MAX_VALUE;
        for (int round = 0; round < 20 && allocated > 0; round++) {
            long before = threads.getThreadAllocatedBytes(Thread.currentThread().getId());
            for (int i = 0; i < 100_000; i++) {
                probe.exit(0L, null, payload, null, null);
            }
            allocated = threads.getThreadAllocatedBytes(Thread.currentThread().getId()) - before;
        }
        assertEquals(0, allocated, "bytes allocated by 100,000 recordings, once compiled");
    }

    private static Metrics metrics(HistogramKind kind, Naming naming) {
        return new Metrics(TimerKind.HISTOGRAM, naming, kind, name -> null, name -> 100, 10, Duration.ofMinutes(1), "test");
    }

    private static Probe probe(Metrics metrics, String text) throws Exception {
        Rule rule = new RuleParser().parse(ConfigFile.read(new StringReader(text), "test"), 1);
        return new ProbeMaker(metrics, new RunTime()).make(new RuleState(rule));
    }

    private static List<HistogramSnapshot.HistogramDataPointSnapshot> points(Metrics metrics, String name) {
        for (MetricSnapshot snapshot : metrics.registry().scrape()) {
            if (snapshot.getMetadata().getPrometheusName().equals(name)) {
                return ((HistogramSnapshot) snapshot).getDataPoints();
            }
        }
        return List.of();
    }

    private static HistogramSnapshot.HistogramDataPointSnapshot point(Metrics metrics, String name, String label,
            String value) {
        for (HistogramSnapshot.HistogramDataPointSnapshot point : points(metrics, name)) {
            if (value.equals(point.getLabels().get(label))) {
                return point;
            }
        }
        throw new AssertionError("no " + name + "{" + label + "=" + value + "} in " + points(metrics, name));
    }

    /** Each classic bucket as upper bound and cumulative count. */
    private static List<String> cumulative(HistogramSnapshot.HistogramDataPointSnapshot point) {
        List<String> buckets = new ArrayList<>();
        long count = 0;
        for (ClassicHistogramBucket bucket : point.getClassicBuckets()) {
            count += bucket.getCount();
            buckets.add(bucket.getUpperBound() + ":" + count);
        }
        return buckets;
    }
}
