package dev.flowmeter.engines.springboot;

import com.sun.net.httpserver.HttpServer;
import dev.flowmeter.testkit.Truth;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.quartz.Job;
import org.quartz.JobBuilder;
import org.quartz.Scheduler;
import org.quartz.TriggerBuilder;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A Spring Boot application, run from its repackaged jar: Boot's Quartz auto-configuration schedules
 * a fixed load of jobs, each of which asks an order service for its order with the JDK's
 * HttpClient; some orders are missing (404) and some jobs fail. It prints what it counted as
 * {@code truth} lines, then keeps running until its standard input closes.
 */
@SpringBootApplication
public class BootApp {

    public static final int LOAD = 60;

    public static void main(String[] args) throws Exception {
        HttpServer orders = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        orders.createContext("/orders/", exchange -> {
            int order = Integer.parseInt(exchange.getRequestURI().getPath().substring("/orders/".length()));
            byte[] body = ("{\"order\":" + order + "}").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(order % 5 == 0 ? 404 : 200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        orders.start();
        OrderClient.baseUrl = "http://127.0.0.1:" + orders.getAddress().getPort();

        ConfigurableApplicationContext context = SpringApplication.run(BootApp.class, args);
        Scheduler scheduler = context.getBean(Scheduler.class);
        for (int n = 1; n <= LOAD; n++) {
            Class<? extends Job> type = n % 3 == 0 ? ReportJob.class : InvoiceJob.class;
            scheduler.scheduleJob(JobBuilder.newJob(type).withIdentity("job-" + n).usingJobData("order", n).build(),
                    TriggerBuilder.newTrigger().withIdentity("job-" + n).startNow().build());
        }
        Truth.await("finished", LOAD, Duration.ofSeconds(120));
        Truth.print("");
        System.out.println("load done");
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        context.close();
        orders.stop(0);
    }
}
