package io.fleetlog.kafka;

import io.fleetlog.server.FleetServer;
import io.fleetlog.server.store.Stores;
import io.fleetlog.server.testing.ServerFixture;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * An ingest replica in a child JVM for {@link ReplicaKillTest}: args bootstrap, topic, database URL,
 * replica id, data directory. Prints {@code PORT n} when it serves, then runs until killed.
 */
public final class ReplicaChildMain {
    private ReplicaChildMain() {}

    public static void main(String[] args) throws Exception {
        BusConfig bus = BusConfig.of(args[0]).withTopic(args[1]);
        Path dir = Files.createDirectories(Path.of(args[4]));
        KafkaBusStore store = KafkaBusStore.open(Stores.open(args[2]), bus, ReplicaWelcomeTest.GROUP, args[3]);
        FleetServer server = FleetServer.start(ServerFixture.config(dir).withDb(args[2]), store);
        store.bindTo(server.metrics());
        store.feed(server.fleet());
        System.out.println("PORT " + server.port());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
