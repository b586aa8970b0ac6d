package dev.flowmeter.agent.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;
import org.junit.jupiter.api.Test;

/** Quantiles over exactly the last 1000 observations, as the Conductor SDKs' metric reference says; count and sum over all. */
class WindowSummaryTimerTest {

    @Test
    void quantilesAreOverTheLastThousandObservationsAndCountAndSumOverAll() {
        PrometheusRegistry registry = new PrometheusRegistry();
        WindowSummaryTimer timer = new WindowSummaryTimer(Catalog.TASK_EXECUTE_TIME, registry);
        Timer.Series series = timer.series("a", "SUCCESS");
        for (int millis = 1; millis <= 2500; millis++) {
            series.observeNanos(millis * 1_000_000L);
        }
        SummarySnapshot.SummaryDataPointSnapshot point = ((SummarySnapshot) timer.collect().get(0)).getDataPoints().get(0);
        assertEquals(2500, point.getCount());
        assertEquals(2500 * 2501 / 2 / 1000.0, point.getSum(), 1e-6);
        // the window holds 1501 ms to 2500 ms: the nearest-rank median is the 500th of them, the 0.99 quantile the 990th
        assertEquals(2.000, point.getQuantiles().get(0).getValue(), 1e-9);
        assertEquals(2.490, point.getQuantiles().get(4).getValue(), 1e-9);
    }
}
