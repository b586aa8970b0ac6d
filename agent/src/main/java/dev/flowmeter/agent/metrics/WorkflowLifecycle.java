package dev.flowmeter.agent.metrics;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.GaugeDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Pairs each workflow's start with its end by workflow id: the duration goes to
 * {@code workflow_duration_seconds}, and {@code workflow_active} counts those in between. An end
 * that reads its own start time ({@link #endedSince}) records its duration without a pair. The
 * pending starts are bounded by number and by age; a start that falls out is counted in
 * {@code flowmeter_workflows_unpaired_total} and leaves {@code workflow_active}, so neither memory nor
 * the gauge can grow without bound.
 */
public final class WorkflowLifecycle {

    private static final class Pending {
        final long startNanos;
        final String workflowType;
        final GaugeDataPoint active;

        Pending(long startNanos, String workflowType, GaugeDataPoint active) {
            this.startNanos = startNanos;
            this.workflowType = workflowType;
            this.active = active;
        }
    }

    private final SeriesIndex<Timer.Series> durations;
    private final SeriesIndex<GaugeDataPoint> active;
    private final CounterDataPoint evicted;
    private final CounterDataPoint expired;
    private final CounterDataPoint unknownEnd;
    private final int maxPending;
    private final long maxAgeNanos;
    // Insertion order is start order: the eldest entry is the one to evict or expire first.
    private final LinkedHashMap<String, Pending> pending = new LinkedHashMap<>();

    WorkflowLifecycle(Timer duration, Gauge gauge, Counter unpaired, int maxPending, Duration maxAge, int maxSeries,
            Runnable onDropped) {
        this.durations = new SeriesIndex<>(2, maxSeries, 1, duration::series, onDropped);
        this.active = new SeriesIndex<>(1, maxSeries, 1, gauge::labelValues, onDropped);
        this.evicted = unpaired.labelValues("evicted");
        this.expired = unpaired.labelValues("expired");
        this.unknownEnd = unpaired.labelValues("unknown_end");
        this.maxPending = maxPending;
        this.maxAgeNanos = maxAge.toNanos();
    }

    public void started(String workflowId, String workflowType, long startNanos) {
        GaugeDataPoint gauge = active.get(workflowType);
        synchronized (pending) {
            expire(startNanos);
            Pending previous = pending.put(workflowId, new Pending(startNanos, workflowType, gauge));
            if (previous != null) {
                previous.active.dec();
            }
            if (pending.size() > maxPending) {
                Iterator<Pending> eldest = pending.values().iterator();
                eldest.next().active.dec();
                eldest.remove();
                evicted.inc();
            }
        }
        gauge.inc();
    }

    /** Forgets a workflow whose start failed after it was opened: it never ran, so it has no duration. */
    public void abandoned(String workflowId) {
        Pending start;
        synchronized (pending) {
            start = pending.remove(workflowId);
        }
        if (start != null) {
            start.active.dec();
        }
    }

    public void ended(String workflowId, String status, long endNanos) {
        Pending start;
        synchronized (pending) {
            expire(endNanos);
            start = pending.remove(workflowId);
        }
        if (start == null) {
            unknownEnd.inc();
            return;
        }
        start.active.dec();
        durations.get(start.workflowType, status).observeNanos(endNanos - start.startNanos);
    }

    /**
     * Ends a workflow whose start this JVM did not see, measured from the start time the end read
     * itself (epoch milliseconds, null when the end had none). It was never pending, so nothing is
     * removed and workflow_active is not touched. A start later than {@code endMillis}, by clocks of
     * two machines that disagree, counts as no time rather than a negative one.
     */
    public void endedSince(String workflowType, String status, Long startMillis, long endMillis) {
        if (startMillis == null) {
            unknownEnd.inc();
            return;
        }
        long millis = Math.max(0L, endMillis - startMillis);
        durations.get(workflowType, status).observeNanos(millis * 1_000_000L);
    }

    private void expire(long nowNanos) {
        for (Iterator<Pending> oldest = pending.values().iterator(); oldest.hasNext(); ) {
            Pending start = oldest.next();
            if (nowNanos - start.startNanos <= maxAgeNanos) {
                return;
            }
            start.active.dec();
            oldest.remove();
            expired.inc();
        }
    }
}
