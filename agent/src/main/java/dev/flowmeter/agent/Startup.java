package dev.flowmeter.agent;

import dev.flowmeter.agent.config.AgentConfig;
import dev.flowmeter.agent.config.ConfigException;
import dev.flowmeter.agent.config.ConfigParser;
import dev.flowmeter.agent.config.Setting;
import dev.flowmeter.agent.instrumentation.BuiltIn;
import dev.flowmeter.agent.metrics.Metrics;
import dev.flowmeter.agent.probe.Installer;
import dev.flowmeter.agent.probe.Instrumentation;
import dev.flowmeter.agent.probe.InstrumentationState;
import dev.flowmeter.agent.probe.RuleParser;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import java.io.IOException;
import java.io.InputStream;
import java.net.BindException;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/** Reads the configuration, starts the metrics server and installs the instrumentations, or says why not. */
final class Startup {

    private static final String INACTIVE = " The agent is inactive; the application runs on.";

    private Startup() {}

    static void start(String arguments, java.lang.instrument.Instrumentation jvm) {
        RuleParser parser = new RuleParser();
        AgentConfig config;
        FutureTask<List<Instrumentation>> bundled;
        try {
            List<String> builtIn = BuiltIn.names();
            // The bundled rules files need nothing from the configuration: they are read on a thread
            // of their own while this one reads the configuration and starts the server, which
            // shortens the JVM's start on two cores. The application's main has not started yet.
            bundled = new FutureTask<>(() -> BuiltIn.load(builtIn, parser));
            Thread reader = new Thread(bundled, "flowmeter-start");
            reader.setDaemon(true);
            reader.start();
            Set<String> names = new LinkedHashSet<>(builtIn);
            names.add(Instrumentation.USER_RULES);
            config = new ConfigParser(names).parse(arguments, systemProperties(), System.getenv());
        } catch (ConfigException invalid) {
            inactive(invalid.getMessage() + ".");
            return;
        }

        config.warnings().forEach(warning -> System.err.println("flowmeter: warning: " + warning));
        String version = version();
        Metrics metrics = new Metrics(config, version);
        Introspection introspection = new Introspection(config, version, metrics);
        MetricsServer server = null;
        List<Instrumentation> instrumentations;
        String serving;
        try {
            if (config.jvm()) {
                JvmMetrics.builder(metrics.properties()).register(metrics.registry());
            }
            List<String> outputs = new ArrayList<>();
            if (config.port() != AgentConfig.NO_SERVER) {
                server = MetricsServer.start(config, metrics, introspection);
                outputs.add("serving metrics at " + server.url());
            }
            instrumentations = new ArrayList<>(bundled.get());
            String exported = PeriodicExports.start(config, metrics.registry());
            if (exported != null) {
                outputs.add("writing metrics to " + exported);
            }
            serving = outputs.isEmpty() ? "exposing metrics nowhere (port=off, and no textfile or pushgateway)"
                    : String.join(", ", outputs);
        } catch (BindException taken) {
            inactive("cannot serve metrics on port " + config.port() + " of " + config.host()
                    + " (" + taken + "); choose a free one with port=PORT, or port=0 for any.");
            return;
        } catch (IOException | GeneralSecurityException unavailable) {
            stop(server);
            inactive("cannot start the metrics server or the exports (" + unavailable + "); check the host, the TLS"
                    + " key store, and the textfile and pushgateway settings.");
            return;
        } catch (ExecutionException | InterruptedException unreadable) {
            stop(server);
            Throwable cause = unreadable instanceof ExecutionException ? unreadable.getCause() : unreadable;
            inactive(cause instanceof ConfigException ? cause.getMessage() + "."
                    : "the agent's bundled instrumentations cannot be read (" + cause + "); the agent jar is damaged.");
            return;
        }
        instrumentations.add(parser.instrumentation(Instrumentation.USER_RULES, null, false, config.rules()));

        List<Instrumentation> enabled = new ArrayList<>();
        List<String> enabledNames = new ArrayList<>();
        List<InstrumentationState> disabled = new ArrayList<>();
        for (Instrumentation instrumentation : instrumentations) {
            if (config.isDisabled(instrumentation.name())) {
                disabled.add(InstrumentationState.disabled(instrumentation));
            } else if (!instrumentation.rules().isEmpty() || !instrumentation.problems().isEmpty()) {
                enabled.add(instrumentation);
                enabledNames.add(instrumentation.name().equals(Instrumentation.USER_RULES)
                        ? instrumentation.rules().size() + " rules of " + config.values().get(Setting.CONFIG)
                        : instrumentation.name());
            }
        }
        introspection.add(Installer.install(jvm, metrics, enabled));
        introspection.add(disabled);
        Extensions.load(config.extensions(), metrics, introspection);
        System.setProperty(Cli.URL_PROPERTY, serving);
        System.err.println("flowmeter " + version + ": " + serving
                + "; instrumentations: " + (enabledNames.isEmpty() ? "none" : String.join(", ", enabledNames)));
    }

    private static void stop(MetricsServer server) {
        if (server != null) {
            server.stop();
        }
    }

    /** One line on stderr, and the reason where `attach` can read it. */
    private static void inactive(String reason) {
        System.setProperty(Cli.INACTIVE_PROPERTY, reason);
        System.err.println("flowmeter: " + reason + INACTIVE);
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
