package dev.flowmeter.engines.springboot.batch;

import dev.flowmeter.testkit.Truth;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.partition.support.SimplePartitioner;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemProcessor;
import org.springframework.batch.infrastructure.item.ItemStreamReader;
import org.springframework.batch.infrastructure.item.ItemWriter;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.batch.autoconfigure.JobExecutionEvent;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.event.EventListener;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * A Spring Boot application, run from its repackaged jar, whose Spring Batch is configured by Boot's
 * batch auto-configuration alone: the JDBC job repository on the auto-configured H2 in memory (its
 * schema created by Boot), the transaction manager and the {@link JobOperator}. It has no metrics
 * code and no ObservationRegistry. Boot's runner launches {@code importJob} at start-up
 * ({@code spring.batch.job.name}); then the application launches a fixed set of jobs through the
 * auto-configured {@code JobOperator}, and prints what it and the job repository counted as
 * {@code truth KEY VALUE} lines, then {@code load done}, and keeps running until its standard input
 * closes.
 *
 * <p>{@code importJob}: a fault-tolerant chunk step {@code import} of Spring Batch 6's chunk model and
 * one {@code legacyImport} of 5's (in each, every ninth read and every seventh item's processing
 * throw, and are skipped), then a tasklet step {@code publish} that fails when the job parameter
 * {@code bad} is set. {@code cleanupJob}: a tasklet step {@code cleanup} that stops its job when
 * {@code stop} is set. {@code reindexJob}: a partitioned step {@code reindex} whose workers,
 * {@code reindexWorker}, run on the calling thread. One launch of {@code importJob} repeats a
 * completed one's parameters and is refused.
 *
 * <p>Its jobs deliberately repeat spring-batch-6's SpringBatch6App's, as Boot beans: this module's
 * repackaged jar holds this application alone, and depends on no other module's test classes.
 */
@SpringBootApplication
public class BatchApp {

    public static final int IMPORTS = 6;
    public static final int CLEANUPS = 4;
    public static final int REINDEXES = 2;
    public static final int PARTITIONS = 3;
    static final int ITEMS = 20;

    // The same reader as the spring-batch fixtures', on purpose: this fat jar holds its application alone (class doc).
    /** Reads ITEMS numbers from the start of each step execution; every ninth read throws before moving on, a bad record to skip. */
    static final class NumberReader implements ItemStreamReader<Integer> {
        private int reads;
        private int next;

        @Override
        public void open(ExecutionContext context) {
            reads = 0;
            next = 1;
        }

        @Override
        public Integer read() {
            reads++;
            if (reads % 9 == 0) {
                throw new IllegalStateException("unreadable record");
            }
            return next <= ITEMS ? next++ : null;
        }
    }

    private static final ItemProcessor<Integer, Integer> PROCESSOR = item -> {
        if (item % 7 == 0) {
            throw new IllegalArgumentException("invalid item");
        }
        return item * 2;
    };
    private static final ItemWriter<Integer> WRITER = chunk -> { };

    /** Spring Batch 6's chunk model: a ChunkOrientedStep. */
    @Bean
    Step importStep(JobRepository repository, PlatformTransactionManager transactions) {
        return new StepBuilder("import", repository)
                .<Integer, Integer>chunk(5)
                .transactionManager(transactions)
                .reader(new NumberReader())
                .processor(PROCESSOR)
                .writer(WRITER)
                .faultTolerant()
                .skip(IllegalStateException.class, IllegalArgumentException.class)
                .skipLimit(100)
                .build();
    }

    /** Spring Batch 5's chunk model, still in 6: a TaskletStep. */
    @Bean
    @SuppressWarnings("removal")
    Step legacyImport(JobRepository repository, PlatformTransactionManager transactions) {
        return new StepBuilder("legacyImport", repository)
                .<Integer, Integer>chunk(5, transactions)
                .reader(new NumberReader())
                .processor(PROCESSOR)
                .writer(WRITER)
                .faultTolerant()
                .skip(IllegalStateException.class)
                .skip(IllegalArgumentException.class)
                .skipLimit(100)
                .build();
    }

    @Bean
    Step publish(JobRepository repository, PlatformTransactionManager transactions) {
        return new StepBuilder("publish", repository)
                .tasklet((contribution, context) -> {
                    if (contribution.getStepExecution().getJobParameters().getString("bad") != null) {
                        throw new UnsupportedOperationException("no publisher");
                    }
                    return RepeatStatus.FINISHED;
                }, transactions)
                .build();
    }

    @Bean
    Job importJob(JobRepository repository, Step importStep, Step legacyImport, Step publish) {
        return new JobBuilder("importJob", repository).start(importStep).next(legacyImport).next(publish).build();
    }

    @Bean
    Step cleanup(JobRepository repository, PlatformTransactionManager transactions) {
        return new StepBuilder("cleanup", repository)
                .tasklet((contribution, context) -> {
                    if (contribution.getStepExecution().getJobParameters().getString("stop") != null) {
                        contribution.getStepExecution().setTerminateOnly();
                    }
                    return RepeatStatus.FINISHED;
                }, transactions)
                .build();
    }

    @Bean
    Job cleanupJob(JobRepository repository, Step cleanup) {
        return new JobBuilder("cleanupJob", repository).start(cleanup).build();
    }

    @Bean
    Step reindexWorker(JobRepository repository, PlatformTransactionManager transactions) {
        return new StepBuilder("reindexWorker", repository)
                .tasklet((contribution, context) -> RepeatStatus.FINISHED, transactions)
                .build();
    }

    @Bean
    Step reindex(JobRepository repository, Step reindexWorker) {
        return new StepBuilder("reindex", repository)
                .partitioner("reindexWorker", new SimplePartitioner())
                .step(reindexWorker)
                .gridSize(PARTITIONS)
                .build();
    }

    @Bean
    Job reindexJob(JobRepository repository, Step reindex) {
        return new JobBuilder("reindexJob", repository).start(reindex).build();
    }

    /** Boot's runner tells of each job it launched at start-up. */
    @EventListener
    void launchedByBootsRunner(JobExecutionEvent event) {
        String job = event.getJobExecution().getJobInstance().getJobName();
        Truth.count("runner launch " + job);
        Truth.count("launch " + job + " ok");
    }

    public static void main(String[] args) throws Exception {
        ConfigurableApplicationContext context = SpringApplication.run(BatchApp.class, args);
        JobOperator operator = context.getBean(JobOperator.class);
        JobRepository repository = context.getBean(JobRepository.class);
        Job importJob = context.getBean("importJob", Job.class);
        Job cleanupJob = context.getBean("cleanupJob", Job.class);
        Job reindexJob = context.getBean("reindexJob", Job.class);

        for (int i = 0; i < IMPORTS; i++) {
            JobParametersBuilder parameters = new JobParametersBuilder().addLong("run", (long) i);
            if (i % 3 == 2) {
                parameters.addString("bad", "yes");
            }
            operator.start(importJob, parameters.toJobParameters());
            Truth.count("launch importJob ok");
        }
        try {
            operator.start(importJob, new JobParametersBuilder().addLong("run", 0L).toJobParameters());
            Truth.count("launch importJob ok");
        } catch (Exception refused) {
            Truth.count("launch importJob refused " + refused.getClass().getSimpleName());
        }
        for (int i = 0; i < CLEANUPS; i++) {
            JobParametersBuilder parameters = new JobParametersBuilder().addLong("run", (long) i);
            if (i == 1) {
                parameters.addString("stop", "yes");
            }
            operator.start(cleanupJob, parameters.toJobParameters());
            Truth.count("launch cleanupJob ok");
        }
        for (int i = 0; i < REINDEXES; i++) {
            operator.start(reindexJob, new JobParametersBuilder().addLong("run", (long) i).toJobParameters());
            Truth.count("launch reindexJob ok");
        }

        // The job repository's own records: every job execution's status, every step execution's
        // status by step (a partition's workers, reindexWorker:partitionN, by their step), and the
        // skips the steps counted.
        Map<String, Long> records = new TreeMap<>();
        for (String jobName : List.of("importJob", "cleanupJob", "reindexJob")) {
            for (JobInstance instance : repository.getJobInstances(jobName, 0, 1000)) {
                for (JobExecution execution : repository.getJobExecutions(instance)) {
                    records.merge("job executions " + jobName, 1L, Long::sum);
                    records.merge("job " + jobName + " " + execution.getStatus(), 1L, Long::sum);
                    for (StepExecution step : execution.getStepExecutions()) {
                        String name = step.getStepName().replaceAll(":partition\\d+$", "");
                        records.merge("step " + name + " " + (step.getStatus() == BatchStatus.COMPLETED ? "SUCCESS" : "FAILURE"),
                                1L, Long::sum);
                        records.merge("skip " + step.getStepName() + " read", step.getReadSkipCount(), Long::sum);
                        records.merge("skip " + step.getStepName() + " process", step.getProcessSkipCount(), Long::sum);
                        records.merge("skip " + step.getStepName() + " write", step.getWriteSkipCount(), Long::sum);
                    }
                }
            }
        }
        Truth.print("");
        records.forEach((key, value) -> System.out.println("truth " + key + " " + value));
        System.out.println("load done");
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        context.close();
    }
}
