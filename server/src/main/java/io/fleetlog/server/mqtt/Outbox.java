package io.fleetlog.server.mqtt;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the broker should hold, per topic: the newest payload wanted, the payload last sent and when.
 * {@link #put} replaces the wanted payload (a newer value coalesces with one not sent yet, which is
 * counted as superseded); {@link #due} lists the topics whose wanted payload differs from the sent
 * one and whose last send is at least {@code minIntervalMs} old — so a topic goes out on change, at
 * most once per interval, always with its newest value. Bounded by construction: one entry per topic
 * (a vehicle has at most its catalogue's signals plus the fixed TeslaMate keys), whatever the rate of
 * change or the length of a broker outage. Not thread-safe: only the publisher thread uses it.
 */
final class Outbox {
    /** A message to publish (retained, QoS 1). */
    record Message(String topic, String payload) {}

    private static final class Entry {
        String wanted;
        String sent;
        long sentAtMs = Long.MIN_VALUE / 2;
    }

    private final Map<String, Entry> entries = new HashMap<>();
    /** Topics whose wanted payload was not sent yet, in the order they changed. */
    private final Set<String> dirty = new LinkedHashSet<>();

    private long superseded;

    /** Wants {@code payload} on {@code topic}. */
    void put(String topic, String payload) {
        Entry e = entries.computeIfAbsent(topic, t -> new Entry());
        if (payload.equals(e.wanted)) {
            return;
        }
        if (e.wanted != null && !e.wanted.equals(e.sent)) {
            superseded++; // a value that never reached the broker, replaced by a newer one
        }
        e.wanted = payload;
        if (payload.equals(e.sent)) {
            dirty.remove(topic);
        } else {
            dirty.add(topic);
        }
    }

    /** Up to {@code max} messages due at {@code nowMs}, oldest change first. */
    List<Message> due(long nowMs, long minIntervalMs, int max) {
        List<Message> out = new ArrayList<>();
        for (Iterator<String> it = dirty.iterator(); it.hasNext() && out.size() < max; ) {
            String topic = it.next();
            Entry e = entries.get(topic);
            if (nowMs - e.sentAtMs >= minIntervalMs) {
                out.add(new Message(topic, e.wanted));
            }
        }
        return out;
    }

    /** {@code m} was handed to the broker client at {@code nowMs}. */
    void sent(Message m, long nowMs) {
        Entry e = entries.get(m.topic());
        e.sent = m.payload();
        e.sentAtMs = nowMs;
        if (e.sent.equals(e.wanted)) {
            dirty.remove(m.topic());
        }
    }

    /**
     * After a (re)connect: the broker may have lost everything (a restart without persistence), so
     * every wanted payload is due again, at once.
     */
    void resendAll() {
        for (Map.Entry<String, Entry> x : entries.entrySet()) {
            x.getValue().sent = null;
            x.getValue().sentAtMs = Long.MIN_VALUE / 2;
            dirty.add(x.getKey());
        }
    }

    /** The payload last sent on {@code topic}, or null. */
    String sent(String topic) {
        Entry e = entries.get(topic);
        return e == null ? null : e.sent;
    }

    /** Topics with a payload not sent yet. */
    int pending() {
        return dirty.size();
    }

    int topics() {
        return entries.size();
    }

    /** Values replaced by a newer one before they were sent (coalescing, broker outages). */
    long superseded() {
        return superseded;
    }
}
