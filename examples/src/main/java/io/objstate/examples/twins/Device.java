package io.objstate.examples.twins;

import io.objstate.Id;
import io.objstate.Method;
import io.objstate.State;
import io.objstate.StateObject;

/** The digital twin of a device: the last state it reported. Small, and updated often. */
@StateObject(pkg = "iot", name = "Device")
public class Device {
    @Id
    String id;
    @State
    String model;
    @State
    String firmware;
    @State
    double temperature;
    @State
    int battery;
    @State
    long reports;
    @State
    long lastSeenMillis;

    Device() {}

    public String id() {
        return id;
    }

    public double temperature() {
        return temperature;
    }

    public int battery() {
        return battery;
    }

    public long reports() {
        return reports;
    }

    public String firmware() {
        return firmware;
    }

    void provision(String model, String firmware) {
        this.model = model;
        this.firmware = firmware;
        this.battery = 100;
    }

    /** Applies one telemetry report. */
    @Method
    public void report(double temperature, int battery, long nowMillis) {
        this.temperature = temperature;
        this.battery = battery;
        this.lastSeenMillis = nowMillis;
        this.reports++;
    }
}
