package io.fleetlog.codec;

import com.google.protobuf.CodedOutputStream;
import io.fleetlog.sample.Field;
import io.fleetlog.sample.Sample;
import io.fleetlog.wire.v1.FullSample;

/**
 * A sample as a naive logger would send it: {@code fleetlog.v1.FullSample}, every available field
 * as a double. The yardstick for the codec's bytes per sample (reports, benchmarks, the MQTT peer);
 * never on the ingest path.
 */
public final class FullSamples {
    private FullSamples() {}

    /** The sample as a FullSample; an empty {@code vin} is left out of the message. */
    public static FullSample of(String vin, Sample s) {
        FullSample.Builder b =
                FullSample.newBuilder().setVin(vin).setSeq(s.seq()).setCaptureTimeMs(s.captureTimeMs());
        double[] v = s.values();
        if (!Double.isNaN(v[Field.SPEED.ordinal()])) b.setSpeed(v[Field.SPEED.ordinal()]);
        if (!Double.isNaN(v[Field.POWER.ordinal()])) b.setPower(v[Field.POWER.ordinal()]);
        if (!Double.isNaN(v[Field.SOC.ordinal()])) b.setSoc(v[Field.SOC.ordinal()]);
        if (!Double.isNaN(v[Field.HEADING.ordinal()])) b.setHeading(v[Field.HEADING.ordinal()]);
        if (!Double.isNaN(v[Field.ODOMETER.ordinal()])) b.setOdometer(v[Field.ODOMETER.ordinal()]);
        if (!Double.isNaN(v[Field.LATITUDE.ordinal()])) b.setLatitude(v[Field.LATITUDE.ordinal()]);
        if (!Double.isNaN(v[Field.LONGITUDE.ordinal()])) b.setLongitude(v[Field.LONGITUDE.ordinal()]);
        if (!Double.isNaN(v[Field.ELEVATION.ordinal()])) b.setElevation(v[Field.ELEVATION.ordinal()]);
        return b.build();
    }

    /**
     * {@code of(vin, s).getSerializedSize()}, computed without building the message (the server
     * counts it for every sample it stores).
     */
    public static int serializedSize(String vin, Sample s) {
        int n = (vin.isEmpty() ? 0 : CodedOutputStream.computeStringSize(1, vin))
                + (s.seq() == 0 ? 0 : CodedOutputStream.computeUInt64Size(2, s.seq()))
                + (s.captureTimeMs() == 0 ? 0 : CodedOutputStream.computeInt64Size(3, s.captureTimeMs()));
        for (Field f : Field.values()) {
            if (s.available(f)) {
                n += CodedOutputStream.computeDoubleSize(4 + f.ordinal(), s.get(f));
            }
        }
        return n;
    }

    /** Bytes of the sample as one length-delimited FullSample (length prefix included). */
    public static int delimitedSize(String vin, Sample s) {
        int size = serializedSize(vin, s);
        return CodedOutputStream.computeUInt32SizeNoTag(size) + size;
    }

    /** The sample a FullSample carries (absent fields unavailable). */
    public static Sample toSample(FullSample f) {
        double[] v = {
            f.hasSpeed() ? f.getSpeed() : Double.NaN,
            f.hasPower() ? f.getPower() : Double.NaN,
            f.hasSoc() ? f.getSoc() : Double.NaN,
            f.hasHeading() ? f.getHeading() : Double.NaN,
            f.hasOdometer() ? f.getOdometer() : Double.NaN,
            f.hasLatitude() ? f.getLatitude() : Double.NaN,
            f.hasLongitude() ? f.getLongitude() : Double.NaN,
            f.hasElevation() ? f.getElevation() : Double.NaN
        };
        return new Sample(f.getSeq(), f.getCaptureTimeMs(), v);
    }
}
