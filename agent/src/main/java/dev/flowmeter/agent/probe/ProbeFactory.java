package dev.flowmeter.agent.probe;

import dev.flowmeter.agent.bootstrap.Probe;

/** Makes the probe of a rule, once its metrics exist. */
@FunctionalInterface
interface ProbeFactory {
    Probe create(ProbeContext context);
}
