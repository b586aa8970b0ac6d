package dev.flowmeter.agent.rules;

import dev.flowmeter.agent.metrics.Catalog;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flowmeter.agent.config.AgentConfig;
import dev.flowmeter.agent.config.ConfigParser;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bundled rules file is a user's rules file: each one, copied as it is into a file given with
 * {@code config=}, is read by the user's configuration and yields the same rules, none rejected.
 */
class BundledAsUserRulesTest {

    @Test
    void everyBundledFileLoadsAsAUsersConfigFile(@TempDir Path folder) throws Exception {
        List<String> names = BuiltIn.names();
        assertFalse(names.isEmpty());
        Set<String> known = new LinkedHashSet<>(names);
        known.add(RuleSet.USER_RULES);
        for (String name : names) {
            Path copy = folder.resolve(name + ".yaml");
            try (InputStream bundled = BuiltIn.class.getResourceAsStream("/dev/flowmeter/agent/instrumentation/" + name + ".yaml")) {
                Files.copy(bundled, copy);
            }
            AgentConfig config = new ConfigParser(known, Catalog.HISTOGRAMS).parse("config=" + copy, Map.of(), Map.of());
            RuleSet asUsers = new RuleParser().ruleSet(RuleSet.USER_RULES, null, false,
                    config.rules());
            RuleSet asBundled = BuiltIn.load(List.of(name), new RuleParser()).get(0);

            assertTrue(asUsers.problems().isEmpty(), name + ": " + asUsers.problems());
            assertFalse(asUsers.rules().isEmpty(), name);
            assertEquals(asBundled.rules().toString(), asUsers.rules().toString(), name);
        }
    }
}
