package dev.flowmeter.agent.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.flowmeter.agent.config.AgentConfig;
import dev.flowmeter.agent.config.ConfigException;
import dev.flowmeter.agent.config.ConfigParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What {@link Metrics} checks of the configuration: that buckets_per_metric names built-in histograms. */
class MetricsTest {

    @TempDir
    Path folder;

    private final ConfigParser parser = new ConfigParser(Set.of("conductor", "rules"));

    private String file(String yaml) throws IOException {
        Path path = folder.resolve("flowmeter.yaml");
        Files.writeString(path, yaml);
        return path.toString();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "buckets_per_metric: {my_seconds: [1, 2]}|'buckets_per_metric' in config file 'PATH' names 'my_seconds', which is"
                + " not a built-in histogram; give one of task_poll_time_seconds, task_execute_time_seconds,"
                + " task_update_time_seconds, workflow_start_time_seconds, task_result_size, workflow_input_size,"
                + " api_request_time_seconds, workflow_duration_seconds (a rule's own histogram or timer"
                + " takes 'buckets' in the rule)",
    })
    void aMistakeInHistogramsOrBucketsSaysWhatToChange(String yaml, String message) throws Exception {
        String path = file(yaml + "\n");
        ConfigException error = assertThrows(ConfigException.class,
                () -> Metrics.checkBuckets(parser.parse("config=" + path, Map.of(), Map.of())));
        assertEquals(message.replace("PATH", path), error.getMessage());
    }

    @Test
    void bucketsOfBuiltInHistogramsPass() throws Exception {
        AgentConfig config = parser.parse("config=" + file("buckets_per_metric: {task_result_size: [1, 2]}\n"),
                Map.of(), Map.of());
        Metrics.checkBuckets(config);
    }
}
