package io.fleetlog.bench.peer;

import com.google.protobuf.InvalidProtocolBufferException;
import io.fleetlog.codec.FullSamples;
import io.fleetlog.sample.Sample;
import io.fleetlog.wire.v1.FullSample;

/**
 * The MQTT peer's message payload: one sample as a {@code fleetlog.v1.FullSample} protobuf without
 * the VIN (the topic {@code fleet/<vin>} carries it) — seq, capture time and every available field as
 * a double, about 80 bytes. An unavailable (NaN) value is absent.
 */
final class SamplePayload {

    private SamplePayload() {}

    static String topic(String vin) {
        return "fleet/" + vin;
    }

    static String vinOf(String topic) {
        return topic.substring(topic.lastIndexOf('/') + 1);
    }

    static byte[] encode(Sample s) {
        return FullSamples.of("", s).toByteArray();
    }

    static Sample decode(byte[] payload) throws InvalidProtocolBufferException {
        return FullSamples.toSample(FullSample.parseFrom(payload));
    }
}
