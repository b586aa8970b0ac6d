package dev.flowmeter.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flowmeter.testkit.InstrumentedJvm;
import dev.flowmeter.testkit.Promtool;
import dev.flowmeter.testkit.Scrape;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What ships in {@code src/} beside the jars, checked with Prometheus' own promtool: the alerting rules
 * and their unit tests, the PromQL of the Grafana dashboard, and the agent's real /metrics output.
 * promtool comes from Debian's prometheus package, which {@code .ci/run} installs; without it these
 * tests fail rather than skip.
 */
class PromtoolTest {

    private static final String ALERTS = "src/prometheus/flowmeter-alerts.yml";
    private static final String ALERT_TESTS = "src/prometheus/flowmeter-alerts.test.yml";
    private static final String DASHBOARD = Dashboard.PATH;
    private static final String DATASOURCE = "${DS_PROMETHEUS}";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void alertingRulesAreValid() throws Exception {
        Promtool.Result result = Promtool.run("check", "rules", ALERTS);
        assertEquals(0, result.exitCode(), result.toString());
        assertTrue(result.output().contains("SUCCESS"), result.toString());
    }

    @Test
    void alertingRuleUnitTestsPass() throws Exception {
        Promtool.Result result = Promtool.run("test", "rules", ALERT_TESTS);
        assertEquals(0, result.exitCode(), result.toString());
        assertTrue(result.output().contains("SUCCESS"), result.toString());
    }

    /** promtool only runs the tests there are; each alert needs one where it fires and one where it stays quiet. */
    @Test
    void everyAlertHasAUnitTestWhereItFiresAndOneWhereItStaysQuiet() throws Exception {
        Set<String> alerts = matches(Pattern.compile("(?m)^\\s*- alert:\\s*(\\S+)\\s*$"), read(ALERTS));
        assertFalse(alerts.isEmpty(), "no alerts in " + ALERTS);
        String tests = read(ALERT_TESTS);
        Set<String> firing = matches(Pattern.compile("(?m)^\\s*alertname:\\s*(\\S+)\\s*\\n\\s*exp_alerts:\\s*\\n\\s*- "),
                tests);
        Set<String> quiet = matches(Pattern.compile("(?m)^\\s*alertname:\\s*(\\S+)\\s*\\n\\s*exp_alerts:\\s*\\[]"), tests);
        for (String alert : alerts) {
            assertTrue(firing.contains(alert), alert + " has no test in " + ALERT_TESTS + " where it fires");
            assertTrue(quiet.contains(alert), alert + " has no test in " + ALERT_TESTS + " where it stays quiet");
        }
    }

    @Test
    void dashboardIsImportableAndItsPromqlIsValid(@TempDir Path temp) throws Exception {
        JsonNode dashboard = JSON.readTree(read(DASHBOARD));
        assertEquals(DATASOURCE.substring(2, DATASOURCE.length() - 1), dashboard.at("/__inputs/0/name").asText());
        assertEquals("prometheus", dashboard.at("/__inputs/0/pluginId").asText());
        assertTrue(dashboard.path("schemaVersion").asInt() >= 36, "schemaVersion " + dashboard.path("schemaVersion"));
        Map<String, String> variables = new LinkedHashMap<>();
        for (JsonNode variable : dashboard.at("/templating/list")) {
            variables.put(variable.path("name").asText(), variable.path("definition").asText());
        }
        assertEquals("label_values(flowmeter_info, job)", variables.get("job"), variables.toString());
        assertTrue(variables.getOrDefault("instance", "").matches("label_values\\(flowmeter_info(\\{.*})?, instance\\)"),
                variables.toString());

        // One recording rule per target; JSON is YAML, so the rules file is written with Jackson.
        ObjectNode rulesFile = JSON.createObjectNode();
        ObjectNode group = rulesFile.putArray("groups").addObject().put("name", "flowmeter-dashboard");
        ArrayNode rules = group.putArray("rules");
        List<String> origins = new ArrayList<>();
        for (Dashboard.Target target : Dashboard.targets(dashboard)) {
            String title = target.panel().path("title").asText();
            assertEquals(DATASOURCE, target.panel().at("/datasource/uid").asText(), "datasource of panel " + title);
            assertFalse(target.expr().isBlank(), target.origin() + " has no expr");
            assertEquals(DATASOURCE, target.target().at("/datasource/uid").asText(), "datasource of " + target.origin());
            assertTrue(target.expr().contains("job=~\"$job\"") && target.expr().contains("instance=~\"$instance\""),
                    target.origin() + " does not select $job and $instance: " + target.expr());
            rules.addObject().put("record", "dashboard:rule_" + origins.size()).put("expr", Dashboard.promql(target.expr()));
            origins.add(target.origin() + ": " + target.expr());
        }
        assertTrue(origins.size() >= 10, "too few dashboard queries: " + origins);
        Path rulesPath = temp.resolve("dashboard-rules.yml");
        Files.writeString(rulesPath, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(rulesFile));

        Promtool.Result result = Promtool.run("check", "rules", rulesPath.toString());
        StringBuilder legend = new StringBuilder();
        for (int i = 0; i < origins.size(); i++) {
            legend.append("\n  dashboard:rule_").append(i).append(" = ").append(origins.get(i));
        }
        assertEquals(0, result.exitCode(), result + "\nrules:" + legend);
        assertTrue(result.output().contains("SUCCESS: " + origins.size() + " rules found"), result + "\nrules:" + legend);
    }

    @Test
    void agentMetricsAreLintClean() throws Exception {
        Promtool.executable(); // before a JVM is started for nothing
        Path extension = Promtool.PROJECT_ROOT.resolve("extension-example/target/flowmeter-extension-example.jar");
        try (TestAppRun run = TestAppRun.finish("port=0,jvm=true,config=" + TestAppRulesTest.RULES + ",extensions="
                + extension, 30)) {
            Scrape scrape = run.jvm().scrape();
            for (String family : List.of("task_execute_time_seconds_bucket", "workflow_duration_seconds_count",
                    "workflow_engine_status", "jvm_threads_current", "example_extension_threads")) {
                assertFalse(scrape.matching(sample -> sample.name().equals(family)).isEmpty(), family + " is missing");
            }
            Promtool.assertLintClean(scrape);
        }
    }

    private static Set<String> matches(Pattern pattern, String text) {
        Set<String> found = new LinkedHashSet<>();
        Matcher matcher = pattern.matcher(text);
        while (matcher.find()) {
            found.add(matcher.group(1));
        }
        return found;
    }

    private static String read(String relativePath) throws Exception {
        return Files.readString(Promtool.PROJECT_ROOT.resolve(relativePath));
    }
}
