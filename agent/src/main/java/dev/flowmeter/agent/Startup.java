package dev.flowmeter.agent;

import dev.flowmeter.agent.config.AgentConfig;
import dev.flowmeter.agent.config.ConfigException;
import dev.flowmeter.agent.config.ConfigParser;
import dev.flowmeter.agent.config.Setting;
import dev.flowmeter.agent.export.Extensions;
import dev.flowmeter.agent.export.Introspection;
import dev.flowmeter.agent.export.MetricsServer;
import dev.flowmeter.agent.export.PeriodicExports;
import dev.flowmeter.agent.metrics.Catalog;
import dev.flowmeter.agent.metrics.Metrics;
import dev.flowmeter.agent.probe.ProbeMaker;
import dev.flowmeter.agent.probe.RunTime;
import dev.flowmeter.agent.probe.Warmup;
import dev.flowmeter.agent.report.Report;
import dev.flowmeter.agent.rules.BuiltIn;
import dev.flowmeter.agent.rules.RuleParser;
import dev.flowmeter.agent.rules.RuleSet;
import dev.flowmeter.agent.transform.Installation;
import dev.flowmeter.agent.transform.Installer;
import dev.flowmeter.agent.transform.InstrumentationState;
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
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/** Reads the configuration, starts the metrics server and installs the instrumentations, or says why not. */
final class Startup {

    private static final String INACTIVE = " The agent is inactive; the application runs on.";

    private Startup() {}

    static void start(String arguments, java.lang.instrument.Instrumentation jvm) {
        RuleParser parser = new RuleParser();
        RunTime runTime = new RunTime();
        AgentConfig config;
        FutureTask<List<RuleSet>> bundled;
        Set<String> names;
        try {
            List<String> builtIn = BuiltIn.names();
            // The bundled rules files need nothing from the configuration: they are read on a thread
            // of their own while this one reads the configuration and prepares the user's rules,
            // which shortens the JVM's start on two cores. The application's main has not started yet.
            bundled = inBackground("flowmeter-rules", () -> {
                List<RuleSet> read = BuiltIn.load(builtIn, parser);
                Installer.prepareReading();
                return read;
            });
            names = new LinkedHashSet<>(builtIn);
            names.add(RuleSet.USER_RULES);
            config = new ConfigParser(names, Catalog.HISTOGRAMS).parse(arguments, systemProperties(), System.getenv());
        } catch (ConfigException invalid) {
            inactive(invalid.getMessage() + ".");
            return;
        }

        config.warnings().forEach(Report::warning);
        String version = version();
        Metrics metrics = new Metrics(config, version);
        // The probes' first calls, on a thread of their own while the rules are prepared, and done
        // before any class is changed, so before any application thread's first call (see Warmup).
        FutureTask<Void> warmUp = inBackground("flowmeter-warm-up", () -> {
            Warmup.run(new Metrics(config, version), runTime);
            return null;
        });
        Introspection introspection = new Introspection(config, version, metrics);
        // The server starts on a thread of its own while this one prepares the rules; no class
        // changes before it listens, so that an agent that cannot serve leaves the application as it was.
        FutureTask<MetricsServer> server = config.port() == AgentConfig.NO_SERVER ? null
                : inBackground("flowmeter-server", () -> MetricsServer.start(config, metrics, introspection));
        if (config.jvm()) {
            JvmMetrics.builder(metrics.properties()).register(metrics.registry());
        }
        Installer installer = new Installer(new ProbeMaker(metrics, runTime), config.weaveCache());
        List<InstrumentationState> disabled = new ArrayList<>();
        // The user's rules first, whose probes are made at once, while the bundled rules are still read.
        RuleSet userRules = parser.ruleSet(RuleSet.USER_RULES, null, false, config.rules());
        boolean userRulesEnabled = enabled(userRules, config, disabled);
        if (userRulesEnabled) {
            installer.addUserRules(userRules, config.rules());
        }
        List<String> enabledNames = new ArrayList<>();
        try {
            for (RuleSet instrumentation : await(bundled)) {
                if (enabled(instrumentation, config, disabled)) {
                    installer.add(instrumentation);
                    enabledNames.add(instrumentation.name());
                }
            }
        } catch (ConfigException invalid) {
            stop(server);
            inactive(invalid.getMessage() + ".");
            return;
        } catch (Exception unreadable) {
            stop(server);
            inactive("the agent's bundled instrumentations cannot be read (" + unreadable + "); the agent jar is damaged.");
            return;
        }
        if (userRulesEnabled) {
            enabledNames.add(userRules.rules().size() + " rules of " + config.values().get(Setting.CONFIG));
        }

        List<String> outputs = new ArrayList<>();
        PeriodicExports exports = null;
        MetricsServer serving = null;
        try {
            if (server != null) {
                serving = await(server);
                outputs.add("serving metrics at " + serving.url());
            }
            exports = PeriodicExports.start(config, metrics.registry());
            if (exports != null) {
                outputs.add("writing metrics to " + exports.target());
            }
            await(warmUp);
        } catch (BindException taken) {
            inactive("cannot serve metrics on port " + config.port() + " of " + config.host()
                    + " (" + taken + "); choose a free one with port=PORT, or port=0 for any.");
            return;
        } catch (IOException | GeneralSecurityException unavailable) {
            stop(server);
            inactive("cannot start the metrics server or the exports (" + unavailable + "); check the host, the TLS"
                    + " key store, and the textfile and pushgateway settings.");
            return;
        } catch (Exception unexpected) {
            stop(server);
            throw new IllegalStateException(unexpected);
        }
        String servingAt = outputs.isEmpty() ? "exposing metrics nowhere (port=off, and no textfile or pushgateway)"
                : String.join(", ", outputs);

        Installation installation = installer.install(jvm);
        introspection.add(disabled);
        LiveOperations live = new LiveOperations(arguments, names, parser, config, metrics, installation,
                serving, exports);
        introspection.installed(installation, live);
        live.watch();
        Extensions.load(config.extensions(), metrics, introspection);
        System.setProperty(Cli.URL_PROPERTY, servingAt);
        Report.started(version, servingAt
                + "; instrumentations: " + (enabledNames.isEmpty() ? "none" : String.join(", ", enabledNames)));
    }

    /** Whether an instrumentation is to be installed: not if it is disabled (then it joins {@code disabled}) or empty. */
    private static boolean enabled(RuleSet instrumentation, AgentConfig config, List<InstrumentationState> disabled) {
        if (config.isDisabled(instrumentation.name())) {
            disabled.add(InstrumentationState.disabled(instrumentation));
            return false;
        }
        return !instrumentation.rules().isEmpty() || !instrumentation.problems().isEmpty();
    }

    private static <T> FutureTask<T> inBackground(String name, Callable<T> work) {
        FutureTask<T> task = new FutureTask<>(work);
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        thread.start();
        return task;
    }

    /** The task's result; or what it threw, as it threw it. */
    private static <T> T await(FutureTask<T> task) throws Exception {
        try {
            return task.get();
        } catch (ExecutionException failed) {
            if (failed.getCause() instanceof Error) {
                throw (Error) failed.getCause();
            }
            throw (Exception) failed.getCause();
        }
    }

    /** Frees the port of a server that started, for an agent that cannot start after all. */
    private static void stop(FutureTask<MetricsServer> server) {
        if (server != null) {
            try {
                await(server).stop();
            } catch (Exception notStarted) {
                // nothing to free
            }
        }
    }

    /** One line on stderr, and the reason where `attach` can read it. */
    private static void inactive(String reason) {
        System.setProperty(Cli.INACTIVE_PROPERTY, reason);
        Report.line(reason + INACTIVE);
    }

    static Map<String, String> systemProperties() {
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
