package io.fleetlog.bench.peer;

import com.google.protobuf.InvalidProtocolBufferException;
import io.fleetlog.sample.Field;
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
        FullSample.Builder b = FullSample.newBuilder().setSeq(s.seq()).setCaptureTimeMs(s.captureTimeMs());
        double[] v = s.values();
        if (!Double.isNaN(v[0])) b.setSpeed(v[0]);
        if (!Double.isNaN(v[1])) b.setPower(v[1]);
        if (!Double.isNaN(v[2])) b.setSoc(v[2]);
        if (!Double.isNaN(v[3])) b.setHeading(v[3]);
        if (!Double.isNaN(v[4])) b.setOdometer(v[4]);
        if (!Double.isNaN(v[5])) b.setLatitude(v[5]);
        if (!Double.isNaN(v[6])) b.setLongitude(v[6]);
        if (!Double.isNaN(v[7])) b.setElevation(v[7]);
        return b.build().toByteArray();
    }

    static Sample decode(byte[] payload) throws InvalidProtocolBufferException {
        FullSample f = FullSample.parseFrom(payload);
        double[] v = new double[Field.COUNT];
        v[0] = f.hasSpeed() ? f.getSpeed() : Double.NaN;
        v[1] = f.hasPower() ? f.getPower() : Double.NaN;
        v[2] = f.hasSoc() ? f.getSoc() : Double.NaN;
        v[3] = f.hasHeading() ? f.getHeading() : Double.NaN;
        v[4] = f.hasOdometer() ? f.getOdometer() : Double.NaN;
        v[5] = f.hasLatitude() ? f.getLatitude() : Double.NaN;
        v[6] = f.hasLongitude() ? f.getLongitude() : Double.NaN;
        v[7] = f.hasElevation() ? f.getElevation() : Double.NaN;
        return new Sample(f.getSeq(), f.getCaptureTimeMs(), v);
    }
}
