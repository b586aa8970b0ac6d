package dev.flowmeter.agent.instrumentation;

import dev.flowmeter.agent.config.ConfigException;
import dev.flowmeter.agent.config.ConfigFile;
import dev.flowmeter.agent.probe.Instrumentation;
import dev.flowmeter.agent.probe.RuleParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * The built-in instrumentations: rules files bundled in the agent jar, in the same format as the
 * user's, at {@code dev/flowmeter/agent/instrumentation/NAME.yaml}.
 */
public final class BuiltIn {

    /** Every built-in instrumentation, by the name {@code disable} takes. */
    public static final List<String> NAMES = List.of("conductor");

    private BuiltIn() {}

    public static Instrumentation load(String name, RuleParser parser) throws ConfigException {
        String resource = name + ".yaml";
        try (InputStream in = BuiltIn.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new ConfigException("the agent jar lacks " + resource);
            }
            Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8);
            Map<String, Object> file = ConfigFile.read(reader, resource);
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> rules = (List<Map<String, Object>>) file.get("rules");
            return parser.instrumentation(name, String.valueOf(file.get("tested_with")), true, rules);
        } catch (IOException unreadable) {
            throw new ConfigException("the agent jar's " + resource + " cannot be read: " + unreadable);
        }
    }
}
