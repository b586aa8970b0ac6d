package dev.flowmeter.testapp;

import com.netflix.conductor.client.config.ConductorClientConfiguration;
import com.netflix.conductor.client.config.DefaultConductorClientConfiguration;

/**
 * conductor-client measures a task result's output and a workflow's input (the bytes it serialises)
 * only when its configuration enforces payload thresholds; test-app's clients do, with the default
 * thresholds, which its small payloads never reach.
 */
final class PayloadSizes {

    static final ConductorClientConfiguration MEASURED = new DefaultConductorClientConfiguration() {
        @Override
        public boolean isEnforceThresholds() {
            return true;
        }
    };

    private PayloadSizes() {}
}
