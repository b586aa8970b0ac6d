package dev.flowmeter.e2e.rules.sample;

public enum Outcome { PAID, DISPUTED, WRITTEN_OFF }
