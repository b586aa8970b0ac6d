package dev.flowmeter.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The Grafana dashboard's queries, for the tests that check them. */
final class Dashboard {

    static final String PATH = "src/grafana/flowmeter-dashboard.json";

    /** Grafana's interval variables, which stand for a duration. */
    private static final Pattern INTERVAL_VARIABLE = Pattern.compile("\\$(__rate_interval|__interval|__range)\\b"
            + "|\\$\\{(__rate_interval|__interval|__range)}");
    /** Any other dashboard variable, {@code $name}, {@code ${name}} or {@code ${name:format}}. */
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{\\w+(:\\w+)?}|\\$\\w+");

    record Target(String origin, JsonNode panel, JsonNode target, String expr) {}

    private Dashboard() {}

    /** Every query of every panel, rows' collapsed panels included. */
    static List<Target> targets(JsonNode dashboard) {
        List<JsonNode> panels = new ArrayList<>();
        collectPanels(dashboard.path("panels"), panels);
        List<Target> targets = new ArrayList<>();
        for (JsonNode panel : panels) {
            if (panel.path("type").asText().equals("row")) {
                continue;
            }
            if (panel.path("targets").isEmpty()) {
                throw new AssertionError("panel " + panel.path("title").asText() + " has no targets");
            }
            for (JsonNode target : panel.path("targets")) {
                targets.add(new Target("panel " + panel.path("id") + " '" + panel.path("title").asText() + "' target "
                        + target.path("refId").asText(), panel, target, target.path("expr").asText()));
            }
        }
        return targets;
    }

    /** A Grafana expression as plain PromQL: durations for interval variables, a match-all regex for the rest. */
    static String promql(String expr) {
        String withIntervals = INTERVAL_VARIABLE.matcher(expr).replaceAll("5m");
        return VARIABLE.matcher(withIntervals).replaceAll(Matcher.quoteReplacement(".*"));
    }

    private static void collectPanels(JsonNode panels, List<JsonNode> into) {
        for (JsonNode panel : panels) {
            into.add(panel);
            collectPanels(panel.path("panels"), into); // the panels of a collapsed row
        }
    }
}
