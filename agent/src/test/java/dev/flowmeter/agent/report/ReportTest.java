package dev.flowmeter.agent.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ReportTest {

    private final AtomicLong now = new AtomicLong(1_000);
    private final Report report = new Report(now::get);

    @Test
    void everyLineStartsWithThePrefix() {
        assertEquals(List.of("flowmeter: one", "flowmeter: two"), stderr(() -> {
            report.print("one");
            report.print("two");
        }));
    }

    @Test
    void aLineOnceIsSaidOncePerKey() {
        assertEquals(List.of("flowmeter: rule a failed", "flowmeter: rule b failed"), stderr(() -> {
            report.sayOnce("a", "rule a failed");
            report.sayOnce("a", "rule a failed");
            report.sayOnce("b", "rule b failed");
            report.sayOnce("a", "rule a failed again");
        }));
    }

    @Test
    void aLimitedKindIsSaidOnceAMinuteAndTellsHowManyWereLeftOut() {
        assertEquals(List.of("flowmeter: export failed 1", "flowmeter: weave failed 1",
                "flowmeter: export failed 4 (2 more like it in the last minute left out)", "flowmeter: export failed 5"),
                stderr(() -> {
                    report.sayLimited("export", "export failed 1");
                    report.sayLimited("weave", "weave failed 1");
                    now.addAndGet(Report.INTERVAL_NANOS - 1);
                    report.sayLimited("export", "export failed 2");
                    report.sayLimited("export", "export failed 3");
                    now.addAndGet(1);
                    report.sayLimited("export", "export failed 4");
                    now.addAndGet(Report.INTERVAL_NANOS);
                    report.sayLimited("export", "export failed 5");
                }));
    }

    private static List<String> stderr(Runnable lines) {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream before = System.err;
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            lines.run();
        } finally {
            System.setErr(before);
        }
        return captured.toString(StandardCharsets.UTF_8).lines().collect(Collectors.toList());
    }
}
