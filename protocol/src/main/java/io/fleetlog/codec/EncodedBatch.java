package io.fleetlog.codec;

/**
 * One encoded batch: {@code bytes} is a complete {@code fleetlog.v1.Envelope} holding the
 * {@code Batch}, ready to send as one WebSocket binary message.
 */
public record EncodedBatch(
        byte[] bytes, long firstSeq, long lastSeq, int samples, long firstTimeMs, long lastTimeMs, boolean gap) {}
