package io.fleetlog.bench.peer;

import io.fleetlog.sample.Sample;
import io.fleetlog.source.Source;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MQTT peer's vehicles: one {@link MqttVehicle} per VIN, each publishing its workload source on
 * its own platform thread as fast as Paho accepts ("max speed"). Seqs are assigned 1, 2, … per VIN
 * in capture order (the source's order).
 */
final class MqttFleet implements Capture {

    private static final Logger log = LoggerFactory.getLogger(MqttFleet.class);

    private final List<MqttVehicle> vehicles = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final Workload workload;
    private volatile boolean stopped;

    private MqttFleet(Workload workload) {
        this.workload = workload;
    }

    /**
     * Connects every vehicle (state under {@code stateDir/<vin>}); Paho restores and resends what its
     * persistence holds. Capturing starts with {@link #begin()}.
     */
    static MqttFleet connect(Workload workload, String brokerUri, Path stateDir) throws Exception {
        MqttFleet fleet = new MqttFleet(workload);
        try {
            for (String vin : workload.vins()) {
                Path dir = Files.createDirectories(stateDir.resolve(vin));
                MqttVehicle v = new MqttVehicle(vin, brokerUri, dir);
                fleet.vehicles.add(v);
                v.connect(Duration.ofSeconds(30));
            }
        } catch (Exception e) {
            fleet.close();
            throw e;
        }
        return fleet;
    }

    @Override
    public void begin() {
        for (int i = 0; i < workload.vehicles(); i++) {
            MqttVehicle v = vehicles.get(i);
            Source source = workload.source(i);
            threads.add(Thread.ofPlatform().name("mqtt-publish-" + v.vin()).start(() -> publishAll(v, source)));
        }
    }

    private void publishAll(MqttVehicle v, Source source) {
        try (source) {
            Sample s;
            long seq = 0;
            while (!stopped && (s = source.next()) != null) {
                v.publish(s.withSeq(++seq));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            log.error("mqtt_publish_failed vin={}", v.vin(), e);
        }
    }

    @Override
    public long accepted() {
        return vehicles.stream().mapToLong(MqttVehicle::accepted).sum();
    }

    @Override
    public long refused() {
        return vehicles.stream().mapToLong(MqttVehicle::refused).sum();
    }

    @Override
    public boolean finished() {
        return threads.stream().noneMatch(Thread::isAlive);
    }

    @Override
    public long unacknowledged() {
        return vehicles.stream().mapToLong(MqttVehicle::unacknowledged).sum();
    }

    @Override
    public Map<String, Long> refusals() {
        Map<String, Long> all = new TreeMap<>();
        vehicles.forEach(v -> v.refusals().forEach((k, n) -> all.merge(k, n, Long::sum)));
        return all;
    }

    @Override
    public void close() throws InterruptedException {
        stopped = true;
        for (Thread t : threads) {
            t.join(10_000);
        }
        vehicles.parallelStream().forEach(MqttVehicle::close);
    }
}
