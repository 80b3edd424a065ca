package io.fleetlog.codec.v2;

/**
 * One encoded batch: {@code bytes} is a complete {@code fleetlog.v2.Envelope} holding the {@code
 * Batch}, ready to send as one WebSocket binary message. {@code values} counts the captured signal
 * values of its frames (unavailable ones included; a location is one value).
 */
public record EncodedFrames(
        byte[] bytes,
        long firstSeq,
        long lastSeq,
        int frames,
        long values,
        long firstTimeMs,
        long lastTimeMs,
        Gap gap) {}
