package io.objstate.examples.twins;

import io.objstate.Change;
import io.objstate.ChangeListener;
import io.objstate.ListenerRegistration;
import io.objstate.ObjectRuntime;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Raises an alert when a device's temperature crosses a threshold upwards: a change listener on
 * {@link Device}, so it sees every committed report (synchronous or asynchronous) once it is durable, in
 * commit order. It looks at the old state only when the temperature field changed, so reports that leave
 * the temperature alone cost no decoding.
 */
public final class TemperatureAlarm implements ChangeListener<Device> {
    /** One upward crossing: the report that took the device from below the threshold to at or above it. */
    public record Alert(String deviceId, double from, double to, long version) {}

    private final double threshold;
    private final ConcurrentLinkedQueue<Alert> alerts = new ConcurrentLinkedQueue<>();

    public TemperatureAlarm(double threshold) {
        this.threshold = threshold;
    }

    /** Starts listening to {@code rt}; close the registration to stop. */
    public ListenerRegistration attach(ObjectRuntime rt) {
        return rt.onCommit(Device.class, this);
    }

    @Override
    public void onCommit(Change<Device> change) {
        if (change.deleted() || !change.changedFields().contains("temperature")) {
            return;
        }
        double before = change.oldState().map(Device::temperature).orElse(Double.NEGATIVE_INFINITY);
        double after = change.newState().orElseThrow().temperature();
        if (crosses(before, after, threshold)) {
            alerts.add(new Alert(change.id(), before, after, change.version()));
        }
    }

    /** True when going from {@code before} to {@code after} is an alert at {@code threshold}. */
    static boolean crosses(double before, double after, double threshold) {
        return before < threshold && after >= threshold;
    }

    public List<Alert> alerts() {
        return List.copyOf(alerts);
    }
}
