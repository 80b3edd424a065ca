package io.fleetlog.kafka;

import io.fleetlog.server.store.StoreWrite;
import io.fleetlog.server.store.VehicleEvent;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * The one-writer rule across replicas, applied the same way by every reader of a partition (the
 * sink, a Hello's tail read, a replica's {@link FenceWatch}): a VIN's ONLINE link event — recorded by
 * a Hello before its Welcome — makes the replica that produced it (header {@value #WRITER}) the VIN's
 * <b>owner</b>; from there on, in partition order, appends and gap events of the VIN written by any
 * other replica are <b>fenced</b>: not stored, not counted in a Welcome, not acked to their edge.
 * Records without the header (written before step 2) and records read before the reader saw any
 * ONLINE event of their VIN are admitted.
 *
 * <p>One instance per reader and partition range, not thread-safe; {@link #copy} lets a reader try a
 * poll and keep the owners only when the poll committed.
 */
final class Fencing {
    /** The record header naming the replica that produced the record. */
    static final String WRITER = "fleetlog.replica";

    private final Map<String, String> owners;

    Fencing() {
        this(new HashMap<>());
    }

    private Fencing(Map<String, String> owners) {
        this.owners = owners;
    }

    Fencing copy() {
        return new Fencing(new HashMap<>(owners));
    }

    /** The replica that wrote {@code r}, or null when it carries no header. */
    static String writer(ConsumerRecord<byte[], byte[]> r) {
        Header h = r.headers().lastHeader(WRITER);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    /** The record kind byte of a value ({@link Records}), -1 when too short to have one. */
    static int kind(byte[] value) {
        return value == null || value.length < 2 ? -1 : value[1] & 0xff;
    }

    /** {@code writer}'s ONLINE event of {@code vin}: it owns the VIN from here. */
    void online(String vin, String writer) {
        if (writer != null) {
            owners.put(vin, writer);
        }
    }

    /** The owner of {@code vin} as far as this reader has read, or null. */
    String owner(String vin) {
        return owners.get(vin);
    }

    /** True when an append or gap of {@code vin} by {@code writer} at this point is to be kept. */
    boolean admits(String vin, String writer) {
        String owner = owners.get(vin);
        return owner == null || writer == null || owner.equals(writer);
    }

    /**
     * Applies the rule to {@code w}, read in partition order, written by {@code writer} (nullable):
     * an ONLINE event moves the ownership; returns false when {@code w} is fenced.
     */
    boolean keep(StoreWrite w, String writer) {
        return switch (w) {
            case StoreWrite.Event e
            when e.event().kind() == VehicleEvent.Kind.ONLINE -> {
                online(e.event().vin(), writer);
                yield true;
            }
            case StoreWrite.Event e
            when e.event().kind() == VehicleEvent.Kind.GAP -> admits(e.event().vin(), writer);
            case StoreWrite.Append a -> admits(a.vin(), writer);
            default -> true;
        };
    }
}
