package dev.flowmeter.probe;

import dev.flowmeter.bootstrap.Probe;
import dev.flowmeter.metrics.Metrics;

/** Makes the probe of a rule, once its metrics exist. */
@FunctionalInterface
public interface ProbeFactory {
    Probe create(Metrics metrics, String rule);
}
