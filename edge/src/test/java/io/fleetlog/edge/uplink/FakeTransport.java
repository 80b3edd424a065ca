package io.fleetlog.edge.uplink;

import com.google.protobuf.InvalidProtocolBufferException;
import io.fleetlog.catalog.Catalogue;
import io.fleetlog.codec.WireException;
import io.fleetlog.codec.v2.DecodedFrames;
import io.fleetlog.codec.v2.FrameDecoder;
import io.fleetlog.codec.v2.FrameLayout;
import io.fleetlog.codec.v2.WireV2;
import io.fleetlog.sample.Sample;
import io.fleetlog.wire.v2.Ack;
import io.fleetlog.wire.v2.Envelope;
import io.fleetlog.wire.v2.Heartbeat;
import io.fleetlog.wire.v2.Reject;
import io.fleetlog.wire.v2.RejectCode;
import io.fleetlog.wire.v2.Welcome;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A scripted transport: records opened connections and what was sent on them; the test plays the
 * server through {@link FakeConnection}'s methods, or lets {@link Server} answer like a real one.
 */
final class FakeTransport implements Transport {
    final List<FakeConnection> opened = new ArrayList<>();
    final List<URI> uris = new ArrayList<>();

    @Override
    public Connection open(URI uri, Listener listener) {
        FakeConnection c = new FakeConnection(listener);
        opened.add(c);
        uris.add(uri);
        return c;
    }

    FakeConnection last() {
        return opened.get(opened.size() - 1);
    }

    static final class FakeConnection implements Connection {
        final Listener listener;
        final List<Envelope> sent = new ArrayList<>();
        int served; // how many of sent the Server already handled
        boolean aborted;
        boolean closed;
        boolean refuseSends;

        FakeConnection(Listener listener) {
            this.listener = listener;
        }

        @Override
        public boolean send(byte[] message) {
            if (aborted || closed || refuseSends) {
                return false;
            }
            try {
                sent.add(Envelope.parseFrom(message));
            } catch (InvalidProtocolBufferException e) {
                throw new AssertionError("the uplink sent something that is not an Envelope", e);
            }
            return true;
        }

        @Override
        public long queuedBytes() {
            return 0;
        }

        @Override
        public void close() {
            closed = true;
        }

        @Override
        public void abort() {
            aborted = true;
        }

        void open() {
            listener.onOpen();
        }

        void welcome(long lastStored) {
            welcome(Welcome.newBuilder()
                    .setProtocolVersion(2)
                    .setLastStoredSeq(lastStored)
                    .setCatalogueHash(Catalogue.builtin().hash()));
        }

        void welcome(Welcome.Builder w) {
            deliver(Envelope.newBuilder().setWelcome(w));
        }

        void ack(long seq) {
            deliver(Envelope.newBuilder().setAck(Ack.newBuilder().setSeq(seq)));
        }

        void reject(long first, long last, String reason) {
            deliver(Envelope.newBuilder()
                    .setReject(Reject.newBuilder()
                            .setFirstSeq(first)
                            .setLastSeq(last)
                            .setReason(reason)));
        }

        void reject(RejectCode code, String reason) {
            deliver(Envelope.newBuilder()
                    .setReject(
                            Reject.newBuilder().setCode(code).setReason(reason).setFatal(true)));
        }

        void heartbeatReply() {
            deliver(Envelope.newBuilder().setHeartbeat(Heartbeat.newBuilder().setReply(true)));
        }

        void deliver(Envelope.Builder e) {
            listener.onMessage(e.build().toByteArray());
        }

        void drop(String reason) {
            listener.onClosed(reason);
        }

        List<io.fleetlog.wire.v2.Batch> batches() {
            return sent.stream()
                    .filter(Envelope::hasBatch)
                    .map(Envelope::getBatch)
                    .toList();
        }

        <T> List<T> of(Envelope.MsgCase kind, java.util.function.Function<Envelope, T> get) {
            return sent.stream().filter(e -> e.getMsgCase() == kind).map(get).toList();
        }
    }

    /** A well-behaved server: answers Hello with Welcome, stores decoded batches, acks, echoes heartbeats. */
    static final class Server {
        final TreeMap<Long, Sample> store = new TreeMap<>();
        final List<Long> arrivalOrder = new ArrayList<>();
        /** Resent batches that differed from the stored samples (refused, as the real server does). */
        long conflicts;
        /** Resent samples equal to the stored ones (acked, as the real server does). */
        long resends;

        FrameDecoder decoder;
        /** Frames per decoded batch, in arrival order (tests check batch sizes). */
        final List<DecodedFrames> decoded = new ArrayList<>();

        boolean ack = true;

        long lastStored() {
            return store.isEmpty() ? -1 : store.lastKey();
        }

        /** Handles everything {@code c} sent since the last call. */
        void serve(FakeConnection c) {
            while (c.served < c.sent.size()) {
                Envelope e = c.sent.get(c.served++);
                switch (e.getMsgCase()) {
                    case HELLO -> {
                        FrameLayout layout;
                        try {
                            layout = WireV2.checkHello(
                                    e.getHello(),
                                    h -> h.equals(Catalogue.builtin().hash())
                                            ? Optional.of(Catalogue.builtin())
                                            : Optional.empty());
                        } catch (WireException ex) {
                            throw new AssertionError(ex);
                        }
                        decoder = new FrameDecoder(layout);
                        c.welcome(lastStored());
                    }
                    case BATCH -> {
                        DecodedFrames b;
                        try {
                            b = decoder.decode(e.getBatch());
                        } catch (WireException ex) {
                            throw new AssertionError(ex);
                        }
                        decoded.add(b);
                        boolean conflict = false;
                        for (int i = 0; i < b.frames().size(); i++) {
                            Sample s = new Sample(b.firstSeq() + i, b.frames().get(i));
                            Sample had = store.get(s.seq());
                            if (had == null) {
                                store.put(s.seq(), s);
                                arrivalOrder.add(s.seq());
                            } else if (io.fleetlog.edge.SameSample.same(had, s)) {
                                resends++;
                            } else {
                                conflict = true;
                            }
                        }
                        if (conflict) {
                            // as the real server: a resend that differs from what is stored is refused
                            conflicts++;
                            c.reject(b.firstSeq(), b.lastSeq(), "conflict: differs from the stored samples");
                            continue;
                        }
                        if (ack) {
                            c.ack(lastStored());
                        }
                    }
                    case HEARTBEAT -> {
                        if (!e.getHeartbeat().getReply()) {
                            c.heartbeatReply();
                        }
                    }
                    default -> {}
                }
            }
        }
    }
}
