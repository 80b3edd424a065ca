package io.fleetlog.app.report;

import io.fleetlog.codec.FullSamples;
import io.fleetlog.sample.Field;
import io.fleetlog.sample.Sample;
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
        protobufBytes += FullSamples.delimitedSize(vin, s);
        jsonBytes += json(vin, s, json).length() + 1; // + newline
        return s;
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
