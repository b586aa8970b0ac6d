package dev.flowmeter.agent.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flowmeter.agent.config.TimerKind;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/** max_series is a bound on each metric family's label sets, every label counted, _other_ included. */
class SeriesCapTest {

    private static final int CAP = 10;
    private static final List<Throwable> THROWN = List.of(new IOException(), new IllegalStateException(),
            new TimeoutException(), new IllegalArgumentException(), new UnsupportedOperationException());

    @Test
    void aTimersStatusesAndAnErrorCountersExceptionsCountTowardsTheCapOfTheirFamily() {
        Metrics metrics = new Metrics(TimerKind.HISTOGRAM, name -> CAP, 100, Duration.ofHours(1), "test");
        RoleMetrics role = metrics.role(Role.custom("capped_seconds", null, "capped_errors", "capped_calls", List.of("key")));
        long recorded = 0;
        for (int key = 0; key < 1000; key++) {
            RoleSeries series = role.index().get("k" + key);
            series.record(1_000, false, null);
            for (Throwable thrown : THROWN) {
                series.record(1_000, true, thrown);
            }
            recorded += 1 + THROWN.size();
        }
        assertEquals(CAP, labelSets(metrics, "capped_seconds"), "SUCCESS and FAILURE for 4 keys and for _other_");
        assertEquals(CAP, labelSets(metrics, "capped_errors"), "9 (key, exception) label sets and all-_other_");
        assertTrue(labelSets(metrics, "capped_calls") <= CAP);
        CounterSnapshot calls = (CounterSnapshot) snapshot(metrics, "capped_calls");
        assertEquals(recorded, calls.getDataPoints().stream().mapToDouble(CounterSnapshot.CounterDataPointSnapshot::getValue).sum(),
                "nothing lost");
        CounterSnapshot errors = (CounterSnapshot) snapshot(metrics, "capped_errors");
        assertEquals(1000 * THROWN.size(),
                errors.getDataPoints().stream().mapToDouble(CounterSnapshot.CounterDataPointSnapshot::getValue).sum(),
                "no error lost");
        double dropped = ((CounterSnapshot) snapshot(metrics, Catalog.SERIES_DROPPED.name())).getDataPoints().stream()
                .filter(point -> point.getLabels().get("metric").equals("capped_errors"))
                .mapToDouble(CounterSnapshot.CounterDataPointSnapshot::getValue).sum();
        double underOther = errors.getDataPoints().stream()
                .filter(point -> point.getLabels().get("key").equals(LabelValues.OTHER)
                        && point.getLabels().get("exception").equals(LabelValues.OTHER))
                .mapToDouble(CounterSnapshot.CounterDataPointSnapshot::getValue).sum();
        assertTrue(underOther > 0);
        assertEquals(underOther, dropped, "each error recorded under the all-_other_ label set is counted as dropped");
    }

    @Test
    void aCapBelowTwoLabelSetsPerKeyRecordsEverythingUnderOther() {
        Metrics metrics = new Metrics(TimerKind.HISTOGRAM, name -> 1, 100, Duration.ofHours(1), "test");
        RoleMetrics role = metrics.role(Role.custom("tiny_seconds", null, null, null, List.of("key")));
        role.index().get("a").record(1_000, false, null);
        role.index().get("b").record(1_000, true, null);
        assertEquals(2, labelSets(metrics, "tiny_seconds"), "a cap of 1 leaves _other_ alone, with its two statuses");
    }

    private static long labelSets(Metrics metrics, String name) {
        return snapshot(metrics, name).getDataPoints().stream().map(DataPointSnapshot::getLabels).distinct().count();
    }

    private static MetricSnapshot snapshot(Metrics metrics, String name) {
        String family = name.endsWith("_total") ? name.substring(0, name.length() - "_total".length()) : name;
        return metrics.registry().scrape().stream().filter(s -> s.getMetadata().getPrometheusName().equals(family))
                .findFirst().orElseThrow();
    }
}
