package dev.flowmeter.engines.springboot;

/** Reports on an order, whatever the order service answers. */
public class ReportJob extends OrderJob {

    @Override
    boolean succeedsWith(int status) {
        return true;
    }
}
