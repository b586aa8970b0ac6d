package dev.flowmeter.testapp;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.netflix.conductor.common.config.ObjectMapperProvider;
import com.netflix.conductor.common.metadata.tasks.Task;
import com.netflix.conductor.common.metadata.tasks.TaskResult;
import com.netflix.conductor.common.metadata.workflow.StartWorkflowRequest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * The part of Conductor's REST API that conductor-client's task runner and {@code WorkflowClient#startWorkflow}
 * use, plus the test app's own {@code /api/stats} and {@code /api/engine/pause|resume}.
 */
final class ConductorApiServer implements AutoCloseable {

    static final String BASE_PATH = "/api";
    // Path templates exactly as conductor-client writes them; they are the "uri" of the api stats.
    static final String POLL = "/tasks/poll/batch/{taskType}";
    static final String UPDATE = "/tasks";
    static final String UPDATE_V2 = "/tasks/update-v2";
    static final String START_WORKFLOW = "/workflow";
    static final String EXTERNAL_STORAGE_LOCATION = "/{resource}/externalstoragelocation";
    /**
     * The external payload storage this server also plays, outside the API, as S3 would be: workers upload
     * payloads there with PUT, and it keeps nothing, since no reader asks for them. The path template is the one
     * the agent's HTTP client rules make of {@code /external-storage/17}.
     */
    static final String EXTERNAL_STORAGE = "/external-storage/{id}";
    private static final String EXTERNAL_STORAGE_PREFIX = "/external-storage/";

    private static final String POLL_PREFIX = "/tasks/poll/batch/";
    private static final int DEFAULT_POLL_TIMEOUT_MILLIS = 100;
    // Keeps a poll from holding a server thread for long, whatever timeout the client asks for.
    private static final int MAX_POLL_TIMEOUT_MILLIS = 1000;

    static {
        // Without TCP_NODELAY every reply waits ~40 ms: the server writes headers and body separately, and Nagle's
        // algorithm holds the body until the client's delayed ACK. The JDK reads this property once, when its
        // first HttpServer is created; an explicit -D setting wins.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private final Engine engine;
    private final Stats stats;
    private final int failEvery;
    private final AtomicLong polls = new AtomicLong();
    private final AtomicLong updates = new AtomicLong();
    private final AtomicLong externalPayloads = new AtomicLong();
    private final Set<String> failedUpdates = ConcurrentHashMap.newKeySet();
    private final ObjectMapper mapper = new ObjectMapperProvider().getObjectMapper().copy()
            .registerModule(new Jdk8Module());
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final HttpServer server;

    /** @param failEvery every this many task polls and updates are answered with 500, 0 for never */
    ConductorApiServer(int port, Engine engine, Stats stats, int failEvery) throws IOException {
        this.engine = engine;
        this.stats = stats;
        this.failEvery = failEvery;
        server = HttpServer.create(new InetSocketAddress(port), 0);
        server.createContext(BASE_PATH, this::handle);
        server.createContext(EXTERNAL_STORAGE_PREFIX, this::store);
        server.setExecutor(executor);
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getPath().substring(BASE_PATH.length());
            Reply reply;
            String uri = null;
            try {
                if (method.equals("GET") && path.startsWith(POLL_PREFIX) && path.length() > POLL_PREFIX.length()
                        && path.indexOf('/', POLL_PREFIX.length()) < 0) {
                    uri = POLL;
                    reply = poll(path.substring(POLL_PREFIX.length()), query(exchange));
                } else if (method.equals("POST") && path.equals(UPDATE)) {
                    uri = UPDATE;
                    reply = update(exchange, false);
                } else if (method.equals("POST") && path.equals(UPDATE_V2)) {
                    uri = UPDATE_V2;
                    reply = update(exchange, true);
                } else if (method.equals("POST") && path.equals(START_WORKFLOW)) {
                    uri = START_WORKFLOW;
                    reply = startWorkflow(exchange);
                } else if (method.equals("GET") && path.equals("/tasks/externalstoragelocation")) {
                    uri = EXTERNAL_STORAGE_LOCATION;
                    reply = externalStorageLocation(query(exchange));
                } else if (method.equals("GET") && path.equals("/stats")) {
                    reply = Reply.json(200, mapper.writeValueAsBytes(stats.snapshot(engine.isPaused(), engine.queuedTasks(), engine.tasksInProgress())), null);
                } else if (method.equals("POST") && path.equals("/engine/pause")) {
                    engine.pause();
                    reply = Reply.text(200, "PAUSED", null);
                } else if (method.equals("POST") && path.equals("/engine/resume")) {
                    engine.resume();
                    reply = Reply.text(200, "RUNNING", null);
                } else {
                    reply = Reply.text(404, "No such endpoint: " + method + " " + BASE_PATH + path, null);
                }
            } catch (IllegalArgumentException e) {
                reply = Reply.text(400, String.valueOf(e.getMessage()), null);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                reply = Reply.text(503, "Shutting down", null);
            } catch (IOException | RuntimeException e) {
                reply = Reply.text(500, e.toString(), null);
            }
            if (uri != null) {
                // Counted before replying, so a client that got its reply finds its request in the stats.
                stats.apiCall(method, uri, reply.status, reply.taskType);
            }
            send(exchange, reply);
        }
    }

    /** A payload uploaded to external storage, read and dropped. */
    private void store(HttpExchange exchange) throws IOException {
        try (exchange) {
            Reply reply = exchange.getRequestMethod().equals("PUT")
                    ? Reply.text(200, "stored", null) : Reply.text(405, "Only PUT", null);
            exchange.getRequestBody().readAllBytes();
            stats.apiCall(exchange.getRequestMethod(), EXTERNAL_STORAGE, reply.status, null);
            send(exchange, reply);
        }
    }

    private Reply poll(String taskType, Map<String, String> query) throws InterruptedException, JsonProcessingException {
        int count = Integer.parseInt(query.getOrDefault("count", "1"));
        int timeout = Integer.parseInt(query.getOrDefault("timeout", String.valueOf(DEFAULT_POLL_TIMEOUT_MILLIS)));
        if (count < 1 || timeout < 0) {
            throw new IllegalArgumentException("count must be positive and timeout not negative");
        }
        if (injectFailure(polls)) {
            return Reply.text(500, "Injected poll failure", taskType);
        }
        List<Task> tasks = engine.poll(taskType, query.get("workerid"), count, Math.min(timeout, MAX_POLL_TIMEOUT_MILLIS));
        return Reply.json(200, mapper.writeValueAsBytes(tasks), taskType);
    }

    /** Like Conductor, {@code update-v2} answers with the worker's next task of the same type, if there is one. */
    private Reply update(HttpExchange exchange, boolean v2) throws IOException, InterruptedException {
        TaskResult result = read(exchange, TaskResult.class);
        // A task's update fails at most once, so that the client's retry gets through.
        if (injectFailure(updates) && failedUpdates.add(result.getTaskId())) {
            return Reply.text(500, "Injected update failure", engine.taskType(result.getTaskId()).orElse(null));
        }
        String taskType = engine.update(result).orElse(null);
        if (taskType == null) {
            return Reply.text(404, "No such task: " + result.getTaskId(), null);
        }
        if (!v2) {
            return Reply.text(200, result.getTaskId(), taskType);
        }
        List<Task> next = engine.poll(taskType, result.getWorkerId(), 1, 0);
        return next.isEmpty() ? new Reply(204, null, new byte[0], taskType)
                : Reply.json(200, mapper.writeValueAsBytes(next.get(0)), taskType);
    }

    private Reply startWorkflow(HttpExchange exchange) throws IOException {
        StartWorkflowRequest request = read(exchange, StartWorkflowRequest.class);
        if (request.getName() == null) {
            throw new IllegalArgumentException("Workflow name is missing");
        }
        if (!Engine.WORKFLOWS.containsKey(request.getName())) {
            stats.workflowRejected(request.getName());
            return Reply.text(404, "No such workflow: " + request.getName(), null);
        }
        return Reply.text(200, engine.start(request.getName(), request.getInput()), null);
    }

    /** Where a worker is to write a payload: a fresh path under this server's {@link #EXTERNAL_STORAGE}. */
    private Reply externalStorageLocation(Map<String, String> query) throws JsonProcessingException {
        if (!"WRITE".equals(query.get("operation")) || query.get("payloadType") == null) {
            throw new IllegalArgumentException("Only writes to external storage are served");
        }
        stats.externalPayload(query.get("payloadType"));
        String path = String.valueOf(externalPayloads.incrementAndGet());
        String location = "http://localhost:" + port() + EXTERNAL_STORAGE_PREFIX + path;
        return Reply.json(200, mapper.writeValueAsBytes(Map.of("uri", location, "path", path)), null);
    }

    private boolean injectFailure(AtomicLong requests) {
        return failEvery > 0 && requests.incrementAndGet() % failEvery == 0;
    }

    private <T> T read(HttpExchange exchange, Class<T> type) throws IOException {
        try {
            return mapper.readValue(exchange.getRequestBody(), type);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Invalid " + type.getSimpleName() + ": " + e.getOriginalMessage(), e);
        }
    }

    private static Map<String, String> query(HttpExchange exchange) {
        Map<String, String> query = new HashMap<>();
        String raw = exchange.getRequestURI().getRawQuery();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    query.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return query;
    }

    private static void send(HttpExchange exchange, Reply reply) throws IOException {
        if (reply.contentType != null) {
            exchange.getResponseHeaders().set("Content-Type", reply.contentType);
        }
        exchange.sendResponseHeaders(reply.status, reply.body.length == 0 ? -1 : reply.body.length);
        exchange.getResponseBody().write(reply.body);
    }

    /** @param taskType the type of the task the request polled or updated, for the per task type stats */
    private record Reply(int status, String contentType, byte[] body, String taskType) {

        static Reply text(int status, String text, String taskType) {
            return new Reply(status, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8), taskType);
        }

        static Reply json(int status, byte[] body, String taskType) {
            return new Reply(status, "application/json", body, taskType);
        }
    }
}
