package io.fleetlog.app.report;

import io.fleetlog.sample.Field;
import io.fleetlog.sample.Sample;
import io.fleetlog.wire.v1.FullSample;
import java.util.Iterator;

/**
 * Counts, while a stream passes through, what the same samples cost as a naive logger would send
 * them: one length-delimited {@code fleetlog.v1.FullSample} protobuf, or one compact JSON object, per
 * sample.
 */
final class SampleSizes implements Iterator<Sample> {
    private final Iterator<Sample> in;
    private final String vin;
    private long protobufBytes;
    private long jsonBytes;
    private final StringBuilder json = new StringBuilder(256);

    SampleSizes(Iterator<Sample> in, String vin) {
        this.in = in;
        this.vin = vin;
    }

    @Override
    public boolean hasNext() {
        return in.hasNext();
    }

    @Override
    public Sample next() {
        Sample s = in.next();
        protobufBytes += full(vin, s).getSerializedSize() + 1 + 1; // + length prefix (1-2 bytes)
        jsonBytes += json(vin, s, json).length() + 1; // + newline
        return s;
    }

    static FullSample full(String vin, Sample s) {
        FullSample.Builder b =
                FullSample.newBuilder().setVin(vin).setSeq(s.seq()).setCaptureTimeMs(s.captureTimeMs());
        if (s.available(Field.SPEED)) b.setSpeed(s.get(Field.SPEED));
        if (s.available(Field.POWER)) b.setPower(s.get(Field.POWER));
        if (s.available(Field.SOC)) b.setSoc(s.get(Field.SOC));
        if (s.available(Field.HEADING)) b.setHeading(s.get(Field.HEADING));
        if (s.available(Field.ODOMETER)) b.setOdometer(s.get(Field.ODOMETER));
        if (s.available(Field.LATITUDE)) b.setLatitude(s.get(Field.LATITUDE));
        if (s.available(Field.LONGITUDE)) b.setLongitude(s.get(Field.LONGITUDE));
        if (s.available(Field.ELEVATION)) b.setElevation(s.get(Field.ELEVATION));
        return b.build();
    }

    static StringBuilder json(String vin, Sample s, StringBuilder b) {
        b.setLength(0);
        b.append("{\"vin\":\"").append(vin).append("\",\"seq\":").append(s.seq());
        b.append(",\"t\":").append(s.captureTimeMs());
        for (Field f : Field.values()) {
            b.append(",\"").append(f.key()).append("\":");
            if (s.available(f)) {
                b.append(s.get(f));
            } else {
                b.append("null");
            }
        }
        return b.append('}');
    }

    long protobufBytes() {
        return protobufBytes;
    }

    long jsonBytes() {
        return jsonBytes;
    }
}
