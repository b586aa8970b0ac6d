package dev.flowmeter.agent.config;

import dev.flowmeter.agent.metrics.Catalog;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigFileTest {

    @TempDir
    Path folder;

    private final ConfigParser parser = new ConfigParser(Set.of("conductor", "rules"), Catalog.HISTOGRAMS);

    private String file(String yaml) throws IOException {
        Path path = folder.resolve("flowmeter.yaml");
        Files.writeString(path, yaml);
        return path.toString();
    }

    @Test
    void theFileSetsEverySettingAndArgumentsWinOverIt() throws Exception {
        String path = file("port: 9000\nhost: 127.0.0.1\ntimers: summary\ndisable: [conductor]\nmax_series: 10\n"
                + "max_series_per_metric: {task_poll_total: 5}\nmax_workflow_age: 30m\n"
                + "rules:\n  - {class: a.B, method: m, counter: calls}\n");
        AgentConfig config = parser.parse("config=" + path + ",port=9001", Map.of("flowmeter.timers", "histogram"), Map.of());
        assertEquals(9001, config.port());
        assertEquals("127.0.0.1", config.host());
        assertEquals(TimerKind.HISTOGRAM, config.timers());
        assertTrue(config.isDisabled("conductor"));
        assertEquals(10, config.maxSeries("task_execute_time_seconds"));
        assertEquals(5, config.maxSeries("task_poll_total"));
        assertEquals(Duration.ofMinutes(30), config.maxWorkflowAge());
        assertEquals(1, config.rules().size());
        assertEquals("a.B", config.rules().get(0).get("class"));
    }

    @Test
    void bucketsPerMetricGiveBuiltInHistogramsTheirBucketsAndHistogramsChoosesTheKind() throws Exception {
        String path = file("histograms: both\nbuckets_per_metric:\n  task_execute_time_seconds: [0.1, 1, 10]\n"
                + "  task_result_size: [1000, 1000000]\n");
        AgentConfig config = parser.parse("config=" + path, Map.of(), Map.of());
        assertEquals(HistogramKind.BOTH, config.histograms());
        org.junit.jupiter.api.Assertions.assertArrayEquals(new double[] {0.1, 1, 10}, config.buckets("task_execute_time_seconds"));
        org.junit.jupiter.api.Assertions.assertArrayEquals(new double[] {1000, 1000000}, config.buckets("task_result_size"));
        assertEquals(null, config.buckets("task_poll_time_seconds"));
        assertEquals(HistogramKind.CLASSIC, parser.parse("", Map.of(), Map.of()).histograms());
        assertEquals(HistogramKind.NATIVE, parser.parse("histograms=native", Map.of(), Map.of()).histograms());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "buckets_per_metric: {my_seconds: [1, 2]}|'buckets_per_metric' in config file 'PATH' names 'my_seconds', which is"
                + " not a built-in histogram; give one of task_poll_time_seconds, task_execute_time_seconds,"
                + " task_update_time_seconds, workflow_start_time_seconds, task_result_size, workflow_input_size,"
                + " api_request_time_seconds, workflow_duration_seconds (a rule's own histogram or timer"
                + " takes 'buckets' in the rule)",
        "buckets_per_metric: {task_result_size: [2, 1]}|'buckets_per_metric' in config file 'PATH': task_result_size has"
                + " 1 after 2, not in increasing order; give a list of bucket upper bounds in increasing order, such as"
                + " [0.01, 0.1, 1, 10]",
        "buckets_per_metric: [1, 2]|'buckets_per_metric' in config file 'PATH' must map metric names to a list of bucket"
                + " upper bounds in increasing order, such as [0.01, 0.1, 1, 10], not a list",
        "histograms: exponential|invalid value 'exponential' for 'histograms'; accepted: classic, native or both",
    })
    void aMistakeInHistogramsOrBucketsSaysWhatToChange(String yaml, String message) throws Exception {
        String path = file(yaml + "\n");
        ConfigException error = assertThrows(ConfigException.class, () -> parser.parse("config=" + path, Map.of(), Map.of()));
        assertEquals(message.replace("PATH", path), error.getMessage());
    }

    @Test
    void onAndOffAreWordsWhereASettingTakesThemThoughYamlReadsThemAsBooleans() throws Exception {
        AgentConfig config = parser.parse("config=" + file("weave_cache: off\nscrape_cache: off\njvm: on\n"), Map.of(), Map.of());
        assertEquals("off", config.weaveCache());
        assertEquals(null, config.scrapeCache());
        assertTrue(config.jvm(), "a true/false setting keeps YAML's boolean");
        assertEquals("on", parser.parse("config=" + file("weave_cache: on\n"), Map.of(), Map.of()).weaveCache());
    }

    @Test
    void theFileMayBeNamedByTheEnvironment() throws Exception {
        String path = file("port: 9002\n");
        assertEquals(9002, parser.parse(null, Map.of(), Map.of("FLOWMETER_CONFIG", path)).port());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "prot: 9464|unknown key 'prot' in config file",
        "config: other.yaml|unknown key 'config' in config file",
        "port: [1, 2]|'port' in config file",
        "port: 70000|invalid value '70000' for 'port'",
        "rules: {class: a.B}|must be a list of rules",
        "rules: [just-a-string]|rule 1 in config file",
        "max_series_per_metric: [1]|must map metric names to numbers",
        "max_workflow_age: forever|invalid value 'forever' for 'max_workflow_age'",
        "[1, 2]|must be a map",
        "port: 1\\nport: 2|cannot be read",
        "'port: \"unterminated'|cannot be read"})
    void aBadFileIsRejectedInOneLineNamingTheProblem(String yaml, String expected) throws Exception {
        String path = file(yaml.replace("\\n", "\n"));
        String message = assertThrows(ConfigException.class, () -> parser.parse("config=" + path, Map.of(), Map.of()))
                .getMessage();
        assertTrue(message.contains(expected), message);
        assertTrue(!message.contains("\n"), "one line: " + message);
    }

    @Test
    void aMissingFileIsNamed() {
        String message = assertThrows(ConfigException.class,
                () -> parser.parse("config=/no/such/flowmeter.yaml", Map.of(), Map.of())).getMessage();
        assertTrue(message.contains("/no/such/flowmeter.yaml") && message.contains("NoSuchFileException"), message);
    }

    @Test
    void anAliasBombIsRefusedQuickly() throws Exception {
        StringBuilder bomb = new StringBuilder("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for (char level = 'b'; level <= 'k'; level++) {
            char previous = (char) (level - 1);
            bomb.append(level).append(": &").append(level).append(" [*").append(previous);
            for (int i = 0; i < 9; i++) {
                bomb.append(", *").append(previous);
            }
            bomb.append("]\n");
        }
        String path = file(bomb.toString());
        String message = assertTimeoutPreemptively(Duration.ofSeconds(5),
                () -> assertThrows(ConfigException.class, () -> parser.parse("config=" + path, Map.of(), Map.of())))
                .getMessage();
        assertTrue(message.contains("cannot be read"), message);
    }
}
