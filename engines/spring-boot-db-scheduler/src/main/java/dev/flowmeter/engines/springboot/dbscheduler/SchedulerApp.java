package dev.flowmeter.engines.springboot.dbscheduler;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.event.AbstractSchedulerListener;
import com.github.kagkarlsson.scheduler.event.ExecutionChain;
import com.github.kagkarlsson.scheduler.event.ExecutionInterceptor;
import com.github.kagkarlsson.scheduler.task.CompletionHandler;
import com.github.kagkarlsson.scheduler.task.Execution;
import com.github.kagkarlsson.scheduler.task.ExecutionContext;
import com.github.kagkarlsson.scheduler.task.FailureHandler;
import com.github.kagkarlsson.scheduler.task.TaskInstance;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.Schedules;
import dev.flowmeter.testkit.Commands;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

/**
 * A Spring Boot application, run from its repackaged jar, whose db-scheduler is made by the
 * db-scheduler starter alone: the scheduler is built from the application's task, listener and
 * interceptor beans, on the DataSource Boot makes of H2 in memory (its table and one dead execution
 * from {@code schema.sql} and {@code data.sql}), and started by the starter. No metrics code. It runs
 * a fixed load, pauses the scheduler and prints what it counted itself as {@code truth KEY VALUE}
 * lines, then {@code load done}. Then it obeys {@code resume} and {@code stop} (which closes the
 * application context, whose scheduler bean stops) on standard input.
 *
 * <p>Three tasks: {@code send-invoice} (one-time; every fifth invoice fails every attempt until its
 * failure handler gives up after three retries), {@code generate-report} (one-time; every fourth
 * report fails once, then succeeds on its retry), {@code refresh-cache} (recurring, every 100 ms,
 * started by the starter). One execution of {@code send-invoice} is in the table already, picked by a
 * scheduler that stopped heartbeating an hour ago: a dead execution, which its task revives. An
 * execution interceptor wraps every execution.
 *
 * <p>Its tasks deliberately repeat db-scheduler's DbSchedulerApp's, as Boot beans: this module's
 * repackaged jar holds this application alone, and depends on no other module's test classes.
 */
@SpringBootApplication
public class SchedulerApp {

    // Shaped like spring-boot-batch's BatchApp (a Boot application and its load's sizes) on purpose: each Boot app
    // is its own module's repackaged jar and holds its application alone.
    public static final int INVOICES = 20;
    public static final int REPORTS = 12;
    public static final int RECURRING_AT_LEAST = 5;
    private static final long DEADLINE_MILLIS = 240_000;

    /** What the application counted itself, by key. */
    static final Map<String, AtomicLong> COUNTS = new ConcurrentHashMap<>();
    private static final Map<Integer, AtomicLong> REPORT_ATTEMPTS = new ConcurrentHashMap<>();

    static long count(String key) {
        return COUNTS.computeIfAbsent(key, k -> new AtomicLong()).incrementAndGet();
    }

    static long get(String key) {
        AtomicLong count = COUNTS.get(key);
        return count == null ? 0 : count.get();
    }

    /** What the scheduler tells its listeners: each poll for due executions, each dead execution. */
    public static final class CountingListener extends AbstractSchedulerListener {
        @Override
        public void onSchedulerEvent(SchedulerEventType type) {
            if (type == SchedulerEventType.RAN_EXECUTE_DUE) {
                count("polls");
            } else if (type == SchedulerEventType.UNEXPECTED_ERROR) {
                count("unexpected errors");
            }
        }

        @Override
        public void onExecutionDead(Execution execution) {
            count("dead " + execution.getTaskName());
        }
    }

    /** An interceptor around every execution, as applications add for logging or tracing: it proceeds through the chain. */
    public static final class TracingInterceptor implements ExecutionInterceptor {
        @Override
        public CompletionHandler<?> execute(TaskInstance<?> taskInstance, ExecutionContext executionContext, ExecutionChain chain) {
            count("intercepted");
            return chain.proceed(taskInstance, executionContext);
        }
    }

    @Bean
    OneTimeTask<Integer> sendInvoice() {
        return Tasks.oneTime("send-invoice", Integer.class)
                .onFailure(new FailureHandler.MaxRetriesFailureHandler<>(3, new FailureHandler.OnFailureRetryLater<>(Duration.ZERO)))
                .execute((instance, context) -> {
                    Integer number = instance.getData();
                    boolean fails = number != null && number % 5 == 0;
                    count("execute send-invoice " + (fails ? "FAILURE" : "SUCCESS"));
                    if (fails) {
                        throw new IllegalStateException("mail server refused");
                    }
                });
    }

    @Bean
    OneTimeTask<Integer> generateReport() {
        return Tasks.oneTime("generate-report", Integer.class)
                .onFailure(new FailureHandler.OnFailureRetryLater<>(Duration.ZERO))
                .execute((instance, context) -> {
                    long attempt = REPORT_ATTEMPTS.computeIfAbsent(instance.getData(), k -> new AtomicLong()).incrementAndGet();
                    boolean fails = instance.getData() % 4 == 0 && attempt == 1;
                    count("execute generate-report " + (fails ? "FAILURE" : "SUCCESS"));
                    if (fails) {
                        throw new UnsupportedOperationException("template missing");
                    }
                });
    }

    @Bean
    RecurringTask<Void> refreshCache() {
        return Tasks.recurring("refresh-cache", Schedules.fixedDelay(Duration.ofMillis(100)))
                .execute((instance, context) -> count("execute refresh-cache SUCCESS"));
    }

    @Bean
    CountingListener countingListener() {
        return new CountingListener();
    }

    @Bean
    TracingInterceptor tracingInterceptor() {
        return new TracingInterceptor();
    }

    @SuppressWarnings("unchecked")
    public static void main(String[] args) throws Exception {
        ConfigurableApplicationContext context = SpringApplication.run(SchedulerApp.class, args);
        Scheduler scheduler = context.getBean(Scheduler.class);
        DataSource dataSource = context.getBean(DataSource.class);
        OneTimeTask<Integer> invoice = context.getBean("sendInvoice", OneTimeTask.class);
        OneTimeTask<Integer> report = context.getBean("generateReport", OneTimeTask.class);
        for (int i = 1; i <= INVOICES; i++) {
            scheduler.schedule(invoice.instance("invoice-" + i, i), Instant.now());
        }
        for (int i = 1; i <= REPORTS; i++) {
            scheduler.schedule(report.instance("report-" + i, i), Instant.now());
        }

        // Until every one-time execution has run its course, the dead one was revived and run, and
        // the recurring task ran a few times.
        long deadline = System.currentTimeMillis() + DEADLINE_MILLIS;
        while (oneTimeExecutionsLeft(dataSource) > 0 || get("dead send-invoice") < 1
                || get("execute refresh-cache SUCCESS") < RECURRING_AT_LEAST) {
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("the load did not finish in time: " + COUNTS);
            }
            Thread.sleep(20);
        }
        scheduler.pause();
        // Paused: no new polls start. Wait for the poll in progress and the executions it queued to
        // finish: nothing executing, and no poll nor execution counted for ten polling intervals.
        long counted = -1;
        long quietSince = System.currentTimeMillis();
        while (!scheduler.getCurrentlyExecuting().isEmpty() || System.currentTimeMillis() - quietSince < 500) {
            long now = COUNTS.values().stream().mapToLong(AtomicLong::get).sum();
            if (now != counted) {
                counted = now;
                quietSince = System.currentTimeMillis();
            }
            Thread.sleep(20);
        }

        Map<String, Long> truth = new TreeMap<>();
        COUNTS.forEach((key, count) -> truth.put(key, count.get()));
        truth.put("executions left", oneTimeExecutionsLeft(dataSource));
        Commands.printTruthAndObey(truth, "load done",
                Commands.on("resume", scheduler::resume, "resumed"),
                // The starter's scheduler bean stops with its application context.
                Commands.on("stop", context::close, "stopped"));
        context.close();
    }

    private static long oneTimeExecutionsLeft(DataSource dataSource) throws Exception {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("select count(*) from scheduled_tasks where task_name <> 'refresh-cache'")) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
