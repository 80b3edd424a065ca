package io.fleetlog.server.api;

import io.fleetlog.sample.Field;
import io.fleetlog.sample.Sample;
import io.fleetlog.server.testing.Samples;
import java.util.ArrayList;
import java.util.List;

/** Frames of the sessions API tests: the eight legacy fields an edge client sends, 1 Hz. */
public final class SessionsApiTestData {
    private SessionsApiTestData() {}

    static final long T0 = Samples.T0;

    /** Two drives at 30 mph of 5 min, 6 min standing between them (no gear signal: speed decides). */
    public static List<Sample> twoDrives() {
        List<Sample> out = new ArrayList<>();
        double odo = 500;
        long seq = 0;
        int[] phases = {300, 360, 300, 60}; // seconds: drive, stand, drive, stand
        boolean moving = true;
        for (int p : phases) {
            for (int i = 0; i < p; i++) {
                double[] v = new double[Field.COUNT];
                v[Field.SPEED.ordinal()] = moving ? 30 : 0;
                v[Field.POWER.ordinal()] = moving ? 12 : 0.2;
                v[Field.SOC.ordinal()] = 70;
                v[Field.HEADING.ordinal()] = 90;
                v[Field.ODOMETER.ordinal()] = Field.ODOMETER.quantise(odo);
                v[Field.LATITUDE.ordinal()] = 37.4;
                v[Field.LONGITUDE.ordinal()] = Field.LONGITUDE.quantise(-122.1 + odo / 1000);
                v[Field.ELEVATION.ordinal()] = 12;
                out.add(new Sample(seq, T0 + seq * 1000, v));
                seq++;
                odo += moving ? 30 / 3600.0 : 0;
            }
            moving = !moving;
        }
        return out;
    }
}
