package io.fleetlog.bench.peer;

import io.fleetlog.server.store.SampleStore;
import io.fleetlog.server.store.Stores;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The MQTT store-and-forward stack a fleet engineer would pick instead of fleetlog: Eclipse Paho Java
 * 1.2.5 publishers (see {@link MqttVehicle}) → {@link Link} → a private {@link Mosquitto} → one Paho
 * subscriber ({@link MqttSubscriber}) that commits to fleetlog's SQLite store before it acks.
 * Everything under {@code dir}; {@link #close()} stops it all.
 */
final class MqttStack implements Stack {

    static final String PAHO_VERSION = "1.2.5";

    private final Path dir;
    private final Mosquitto broker;
    private final Link link;
    private final Tally tally = new Tally();
    private final SampleStore store;
    private final MqttSubscriber subscriber;
    private final List<AutoCloseable> captures = new ArrayList<>();

    private MqttStack(Path dir, Mosquitto broker, Link link) throws Exception {
        this.dir = dir;
        this.broker = broker;
        this.link = link;
        this.store = new TallyingStore(Stores.open(FleetlogStack.storeUrl(dir)), tally);
        this.subscriber = new MqttSubscriber(broker.uri(), store);
    }

    /** Starts a broker, the link in front of it, the store and the subscriber, all under {@code dir}. */
    static MqttStack start(Path dir) throws Exception {
        Mosquitto broker = Mosquitto.start(dir.resolve("broker"));
        Link link = null;
        try {
            link = new FaultProxyLink(broker.port());
            return new MqttStack(dir, broker, link);
        } catch (Exception e) {
            if (link != null) {
                link.close();
            }
            broker.close();
            throw e;
        }
    }

    @Override
    public String name() {
        return "MQTT peer";
    }

    @Override
    public String describe() {
        return "Paho " + PAHO_VERSION + " (QoS 1, MqttDefaultFilePersistence, cleanSession=false, persistent"
                + " offline buffer, maxInflight " + MqttVehicle.MAX_INFLIGHT + ", one client per vehicle) → "
                + Mosquitto.version() + " (" + String.join(", ", Mosquitto.SETTINGS) + ") → Paho subscriber"
                + " (manual acks after commit, batches ≤ " + MqttSubscriber.MAX_BATCH + ") → fleetlog's SQLite store";
    }

    @Override
    public Path edgeStateDir() {
        return dir.resolve("vehicles");
    }

    @Override
    public Link link() {
        return link;
    }

    @Override
    public Tally stored() {
        return tally;
    }

    @Override
    public Capture connect(Workload workload) throws Exception {
        MqttFleet fleet = MqttFleet.connect(workload, brokerUriThroughLink(), dir.resolve("vehicles"));
        captures.add(fleet);
        return fleet;
    }

    @Override
    public List<String> edgeProcessArgs(Workload workload, Path stateDir) {
        return EdgeProcess.args("mqtt", brokerUriThroughLink(), stateDir, workload);
    }

    /** The child-process side: the vehicles of {@code workload} against {@code target}. */
    static Capture childEdge(String target, Path stateDir, Workload workload) throws Exception {
        return MqttFleet.connect(workload, target, stateDir);
    }

    private String brokerUriThroughLink() {
        return "tcp://127.0.0.1:" + link.port();
    }

    @Override
    public void close() throws Exception {
        for (AutoCloseable c : captures) {
            c.close();
        }
        subscriber.close();
        link.close();
        broker.close();
        store.close();
    }
}
