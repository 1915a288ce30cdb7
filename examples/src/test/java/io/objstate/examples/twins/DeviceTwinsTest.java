package io.objstate.examples.twins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.objstate.Durability;
import io.objstate.ObjectRuntime;
import io.objstate.ObjectSet;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class DeviceTwinsTest {

    @Test
    @Timeout(60)
    void asyncSyncCommitsAllCompleteSurviveReopenAndShareSyncs(@TempDir Path dir) throws Exception {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        DeviceTwins.Result r = DeviceTwins.run(dir, 10_000, 40_000, 4, new PrintStream(log, true));
        String output = log.toString();

        assertTrue(r.failures().isEmpty(), "async commits failed: " + r.failures() + "\n" + output);
        assertEquals(40_000, r.asyncCommits());
        assertEquals(40_000, r.futuresCompleted() + r.callbacksCompleted(), "every future and callback completes: " + output);
        assertTrue(r.futuresCompleted() > 10_000 && r.callbacksCompleted() > 10_000, output);
        assertEquals(40_000, r.commits(), output);
        assertEquals(10_000, r.verified(), output);
        assertEquals(0, r.mismatches(), output);
        assertTrue(r.syncs() > 0, "Durability.SYNC must sync the store: " + output);
        assertTrue(r.syncs() < r.commits() / 2, "group commit: expected far fewer syncs than commits: " + output);
        assertTrue(r.expectedAlerts() > 0, "the run's reports should cross the alert threshold: " + output);
        assertEquals(r.expectedAlerts(), r.alerts(), "one alert per upward crossing: " + output);
        assertTrue(r.ok());
    }

    @Test
    void theAlarmRaisesOneAlertPerUpwardCrossingOfTheThreshold(@TempDir Path dir) throws Exception {
        TemperatureAlarm alarm = new TemperatureAlarm(30.0);
        try (ObjectRuntime rt = ObjectRuntime.builder().directory(dir).durability(Durability.SYNC).open()) {
            ObjectSet<Device> devices = rt.objects(Device.class);
            alarm.attach(rt);
            Device d = devices.create("dev-a");
            d.provision("thermo-1", "1.0");
            rt.commit(d);
            double[] readings = {20, 35, 36, 25, 30, 29.9};
            for (int i = 0; i < readings.length; i++) {
                d.report(readings[i], 90, i);
                if (i % 2 == 0) {
                    rt.commit(d);
                } else {
                    rt.commitAsync(d).join();
                }
            }
            devices.invoke("dev-a", "report", 31.0, 80, 99L); // by name, through update: also seen
            Device other = devices.create("dev-b");
            other.provision("thermo-2", "1.1");
            other.report(40, 100, 1);
            rt.commit(other); // created above the threshold: no "before", so an alert
            devices.modify("dev-b", x -> x.firmware = "1.2"); // temperature unchanged: nothing to check
            rt.flush();
        }
        assertEquals(List.of(
                new TemperatureAlarm.Alert("dev-a", 20, 35, 3),
                new TemperatureAlarm.Alert("dev-a", 25, 30, 6),
                new TemperatureAlarm.Alert("dev-a", 29.9, 31, 8),
                new TemperatureAlarm.Alert("dev-b", Double.NEGATIVE_INFINITY, 40, 1)), alarm.alerts());
    }

    @Test
    void aSyncRuntimeReportsItsDurability(@TempDir Path dir) {
        try (ObjectRuntime rt = ObjectRuntime.builder().directory(dir).durability(Durability.SYNC).open()) {
            assertEquals(Durability.SYNC, rt.durability());
            Device d = rt.objects(Device.class).create("dev-x");
            d.report(21.5, 90, 1L);
            assertEquals(Durability.SYNC, rt.commitAsync(d).join().durability());
            assertEquals(1, rt.objects(Device.class).get("dev-x").reports());
        }
    }
}
