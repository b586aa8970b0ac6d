package dev.flowmeter.testapp;

import java.io.IOException;
import java.util.Set;

/**
 * A small orchestrator without any metrics code, for the Flowmeter agent to instrument: an in-memory
 * workflow engine behind a subset of Conductor's REST API, driven by real conductor-client workers.
 */
public final class TestApp implements AutoCloseable {

    private static final String USAGE = String.join(System.lineSeparator(),
            "usage: java -jar flowmeter-test-app.jar [--workflows N] [--api-port P] [--fail-rate F] [--seed S]"
                    + " [--api-fail-every N] [--in-flight N]",
            "  --workflows N   start N workflows; once all have finished, stop the workers, so that every count is",
            "                  final, and keep serving; 0 starts none and leaves the workers polling",
            "                  (default: a few workflows per second until stopped)",
            "  --api-port P    port of the Conductor API at /api, 0 for any free port (default 8080)",
            "  --fail-rate F   fraction of charge_payment executions that fail (default 0.2)",
            "  --seed S        seed of all random decisions (default 42)",
            "  --api-fail-every N  answer every Nth task poll and task update with HTTP 500, 0 for never (default 50)",
            "  --in-flight N   keep N workflows started and unfinished: start the next as one finishes (with or",
            "                  without --workflows), and print a line each time another 100 have finished",
            "  --mode M        all: server, load and workers in this JVM (default); server: the engine, its API and",
            "                  the load, for workers in other JVMs; workers: only workers, polling --server",
            "  --server URL    the Conductor API the workers poll, such as http://host:8080/api (--mode workers)",
            "  --virtual-threads B  true: the workers execute on virtual threads, and the count of executions that",
            "                  did is printed when all --workflows have finished (conductor-client 5+, Java 21+;",
            "                  default false)");

    /** What runs in this JVM: one server with several worker JVMs is how Conductor deployments grow. */
    enum Mode { ALL, SERVER, WORKERS }

    private final Engine engine;
    private final ConductorApiServer server;
    private final Workers workers;
    private final LoadDriver loadDriver;

    private TestApp(Options options) throws IOException {
        Stats stats = new Stats(options.workflows);
        String apiUrl = options.server;
        if (options.mode == Mode.WORKERS) {
            engine = null;
            server = null;
            loadDriver = null;
        } else {
            engine = new Engine(stats);
            engine.launch();
            server = new ConductorApiServer(options.apiPort, engine, stats, options.apiFailEvery);
            apiUrl = "http://localhost:" + port() + ConductorApiServer.BASE_PATH;
            System.out.println("test-app: Conductor API at " + apiUrl);
            loadDriver = new LoadDriver(apiUrl, options.seed, stats);
        }
        workers = options.mode == Mode.SERVER ? null
                : new Workers(apiUrl, stats, options.seed, options.failRate, options.virtualThreads);
        if (options.mode == Mode.WORKERS) {
            System.out.println("test-app: workers polling " + apiUrl);
        } else if (options.workflows == null && options.inFlight != null) {
            loadDriver.startClosedLoop(options.inFlight, engine);
        } else if (options.workflows == null) {
            loadDriver.startSteadyLoad();
        } else if (options.workflows > 0) {
            int count = options.workflows;
            loadDriver.startWorkflows(count, options.inFlight, engine, () -> {
                // Stopped workers make every count final, so that metrics can be compared with the stats.
                if (workers != null) {
                    workers.stop();
                    if (options.virtualThreads) {
                        System.out.println("test-app: " + workers.virtualThreadExecutions()
                                + " task executions on virtual threads");
                    }
                }
                System.out.println("test-app: all " + count + " workflows finished");
            });
        }
    }

    public static void main(String[] args) throws IOException {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("test-app: " + e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        new TestApp(options);
    }

    /**
     * Starts the app as {@link #main} would, but returns instead of exiting on invalid arguments.
     *
     * @throws IllegalArgumentException if the arguments are invalid
     */
    public static TestApp start(String... args) throws IOException {
        return new TestApp(Options.parse(args));
    }

    private static Mode parseMode(String value) {
        for (Mode mode : Mode.values()) {
            if (mode.name().equalsIgnoreCase(value)) {
                return mode;
            }
        }
        throw new IllegalArgumentException("--mode takes all, server or workers, not " + value);
    }

    public int port() {
        return server.port();
    }

    @Override
    public void close() {
        if (loadDriver != null) {
            loadDriver.close();
            server.close();
            engine.shutdown();
        }
        if (workers != null) {
            workers.close();
        }
    }

    /**
     * @param workflows null for a steady load
     * @param inFlight null to start workflows at a fixed pace, or all at once with {@code workflows}
     */
    private record Options(Integer workflows, int apiPort, double failRate, long seed, int apiFailEvery, Mode mode,
            String server, Integer inFlight, boolean virtualThreads) {

        private static final Set<String> NAMES = Set.of("--workflows", "--api-port", "--fail-rate", "--seed",
                "--api-fail-every", "--mode", "--server", "--in-flight", "--virtual-threads");

        static Options parse(String[] args) {
            Integer workflows = null;
            int apiPort = 8080;
            double failRate = 0.2;
            long seed = 42;
            int apiFailEvery = 50;
            Mode mode = Mode.ALL;
            String server = null;
            Integer inFlight = null;
            boolean virtualThreads = false;
            for (int i = 0; i < args.length; i += 2) {
                String name = args[i];
                if (!NAMES.contains(name)) {
                    throw new IllegalArgumentException("unknown argument " + name);
                }
                if (i + 1 == args.length) {
                    throw new IllegalArgumentException("missing value for " + name);
                }
                String value = args[i + 1];
                try {
                    switch (name) {
                        case "--workflows" -> workflows = Integer.parseInt(value);
                        case "--api-port" -> apiPort = Integer.parseInt(value);
                        case "--fail-rate" -> failRate = Double.parseDouble(value);
                        case "--api-fail-every" -> apiFailEvery = Integer.parseInt(value);
                        case "--mode" -> mode = parseMode(value);
                        case "--server" -> server = value;
                        case "--in-flight" -> inFlight = Integer.parseInt(value);
                        case "--virtual-threads" -> virtualThreads = parseBoolean(value);
                        default -> seed = Long.parseLong(value);
                    }
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("invalid number for " + name + ": " + value);
                }
            }
            if (workflows != null && workflows < 0 || apiPort < 0 || apiPort > 65535 || !(failRate >= 0 && failRate <= 1)
                    || apiFailEvery < 0) {
                throw new IllegalArgumentException(
                        "--workflows must be >= 0, --api-port 0..65535, --fail-rate 0..1, --api-fail-every >= 0");
            }
            if ((mode == Mode.WORKERS) != (server != null)) {
                throw new IllegalArgumentException("--mode workers needs --server URL, and only it takes one");
            }
            if (inFlight != null && (inFlight < 1 || mode == Mode.WORKERS)) {
                throw new IllegalArgumentException("--in-flight must be >= 1, and starts no workflows in --mode workers");
            }
            if (virtualThreads) {
                Workers.checkVirtualThreads();
            }
            return new Options(workflows, apiPort, failRate, seed, apiFailEvery, mode, server, inFlight,
                    virtualThreads);
        }

        private static boolean parseBoolean(String value) {
            if (!value.equals("true") && !value.equals("false")) {
                throw new IllegalArgumentException("--virtual-threads takes true or false, not " + value);
            }
            return Boolean.parseBoolean(value);
        }
    }
}
