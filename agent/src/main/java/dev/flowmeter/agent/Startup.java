package dev.flowmeter.agent;

import dev.flowmeter.agent.config.AgentConfig;
import dev.flowmeter.agent.config.ConfigException;
import dev.flowmeter.agent.config.ConfigParser;
import dev.flowmeter.agent.instrumentation.conductor.ConductorInstrumentation;
import dev.flowmeter.agent.metrics.Metrics;
import dev.flowmeter.agent.probe.Installer;
import dev.flowmeter.agent.probe.Instrumentation;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/** Reads the configuration, starts the metrics server and installs the instrumentations, or says why not. */
final class Startup {

    private static final String INACTIVE = " The agent is inactive; the application runs on.";

    private Startup() {}

    static void start(String arguments, java.lang.instrument.Instrumentation jvm) {
        List<Instrumentation> builtIn = List.of(ConductorInstrumentation.create());
        Set<String> names = new LinkedHashSet<>();
        builtIn.forEach(instrumentation -> names.add(instrumentation.name()));

        AgentConfig config;
        try {
            config = new ConfigParser(names).parse(arguments, systemProperties(), System.getenv());
        } catch (ConfigException invalid) {
            System.err.println("flowmeter: " + invalid.getMessage() + "." + INACTIVE);
            return;
        }

        String version = version();
        Metrics metrics = new Metrics(config.timers(), Metrics.DEFAULT_MAX_SERIES, version);
        MetricsServer server;
        try {
            server = MetricsServer.start(config, metrics);
        } catch (IOException unavailable) {
            System.err.println("flowmeter: cannot serve metrics on port " + config.port() + " of " + config.host()
                    + " (" + unavailable + "); choose a free one with port=PORT, or port=0 for any." + INACTIVE);
            return;
        }

        List<Instrumentation> enabled = new ArrayList<>();
        for (Instrumentation instrumentation : builtIn) {
            if (!config.isDisabled(instrumentation.name())) {
                enabled.add(instrumentation);
            }
        }
        Installer.install(jvm, metrics, enabled);
        List<String> enabledNames = new ArrayList<>();
        enabled.forEach(instrumentation -> enabledNames.add(instrumentation.name()));
        System.err.println("flowmeter " + version + ": serving metrics at " + server.url()
                + "; instrumentations: " + (enabledNames.isEmpty() ? "none" : String.join(", ", enabledNames)));
    }

    private static Map<String, String> systemProperties() {
        Map<String, String> properties = new HashMap<>();
        Properties system = System.getProperties();
        for (String name : system.stringPropertyNames()) {
            properties.put(name, system.getProperty(name));
        }
        return properties;
    }

    private static String version() {
        try (InputStream in = Startup.class.getResourceAsStream("flowmeter.properties")) {
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version");
        } catch (IOException | NullPointerException missing) {
            return "unknown";
        }
    }
}
