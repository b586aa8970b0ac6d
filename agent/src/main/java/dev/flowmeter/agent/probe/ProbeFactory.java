package dev.flowmeter.agent.probe;

import dev.flowmeter.agent.bootstrap.Probe;
import dev.flowmeter.agent.metrics.Metrics;

/** Makes the probe of a rule, once its metrics exist. */
@FunctionalInterface
public interface ProbeFactory {
    Probe create(Metrics metrics, String rule);
}
