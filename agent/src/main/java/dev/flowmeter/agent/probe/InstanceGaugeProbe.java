package dev.flowmeter.agent.probe;

import dev.flowmeter.agent.metrics.LabelValues;
import dev.flowmeter.agent.metrics.MetricFamily;
import dev.flowmeter.agent.rules.expr.Expression;
import dev.flowmeter.agent.rules.expr.ExpressionException;
import dev.flowmeter.agent.rules.expr.LabelSource;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A gauge sampled at scrape time from the live instances of a class: the probe of its constructors
 * collects the instances, weakly, so that the agent never keeps an application object alive, and
 * the scrape evaluates the value and labels on each. Instances with the same labels add up.
 */
final class InstanceGaugeProbe extends RuleProbe implements MultiCollector {

    /** Instances tracked per gauge rule; more are not sampled, and are counted as dropped. */
    static final int MAX_INSTANCES = 10_000;

    private final MetricFamily family;
    private final Expression value;
    private final LabelSource[] labels;
    private final int maxSeries;
    private final Runnable onDropped;
    private final ConcurrentLinkedQueue<WeakReference<Object>> instances = new ConcurrentLinkedQueue<>();
    private final AtomicInteger tracked = new AtomicInteger();

    InstanceGaugeProbe(ProbeContext context, MetricFamily family, Expression value, LabelSource[] labels) {
        super(context);
        this.family = family;
        this.value = value;
        this.labels = labels;
        this.maxSeries = context.metrics().maxSeries(family.name());
        this.onDropped = context.metrics().droppedCounter(family);
        context.metrics().register(this);
    }


    /** Called when a constructor of the class itself (not of a superclass) returns. */
    @Override
    public void exit(long entered, Object self, Object argument, Object returned, Throwable thrown) {
        if (tracked.incrementAndGet() > MAX_INSTANCES) {
            tracked.decrementAndGet();
            onDropped.run();
            return;
        }
        instances.add(new WeakReference<>(self));
    }

    @Override
    public MetricSnapshots collect() {
        Map<List<String>, double[]> sums = new LinkedHashMap<>();
        for (Iterator<WeakReference<Object>> it = instances.iterator(); it.hasNext(); ) {
            Object instance = it.next().get();
            if (instance == null) {
                it.remove();
                tracked.decrementAndGet();
                continue;
            }
            try {
                sample(instance, sums);
            } catch (Throwable error) {
                failed(error);
            }
        }
        List<GaugeSnapshot.GaugeDataPointSnapshot> points = new ArrayList<>();
        sums.forEach((labelValues, sum) -> points.add(new GaugeSnapshot.GaugeDataPointSnapshot(sum[0],
                Labels.of(family.labelNames(), labelValues), null)));
        return MetricSnapshots.of(new GaugeSnapshot(new MetricMetadata(family.name(), family.help()), points));
    }

    private void sample(Object instance, Map<List<String>, double[]> sums) {
        Object sampled = value.evaluate(instance, null, null, null);
        if (!(sampled instanceof Number)) {
            throw new ExpressionException("gauge value '" + value + "' gave " + LabelValues.of(sampled)
                    + ", not a number");
        }
        String[] labelValues = new String[labels.length];
        for (int i = 0; i < labels.length; i++) {
            labelValues[i] = labels[i].value(instance, null, null, null);
        }
        List<String> key = Arrays.asList(labelValues);
        if (!sums.containsKey(key) && sums.size() >= maxSeries - 1) { // _other_ is one of the label sets
            onDropped.run();
            String[] other = new String[labels.length];
            Arrays.fill(other, LabelValues.OTHER);
            key = Arrays.asList(other);
        }
        sums.computeIfAbsent(key, k -> new double[1])[0] += ((Number) sampled).doubleValue();
    }

    @Override
    public List<String> getPrometheusNames() {
        return List.of(family.name());
    }
}
