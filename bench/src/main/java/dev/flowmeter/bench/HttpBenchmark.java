package dev.flowmeter.bench;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The suite's HTTP requests ({@link Requests}) under JMH, to run alone: both agents instrument
 * both clients themselves.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class HttpBenchmark {

    private Requests requests;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        requests = new Requests();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        requests.close();
    }

    @Benchmark
    public int jdkHttpClient() throws IOException, InterruptedException {
        return requests.jdkHttpClient();
    }

    @Benchmark
    public int okHttp() throws IOException {
        return requests.okHttp();
    }

    @Benchmark
    public int okHttpInMemory() throws IOException {
        return requests.okHttpInMemory();
    }
}
