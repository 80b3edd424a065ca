package io.fleetlog.logs.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetlog.logs.RealData;
import io.fleetlog.logs.candump.CandumpReader;
import io.fleetlog.logs.candump.CandumpWriter;
import io.fleetlog.logs.dbc.Dbc;
import io.fleetlog.sample.Field;
import io.fleetlog.sample.Sample;
import io.fleetlog.source.Source;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Simulated Model 3 drive → DBC-encoded candump log → CanSource → the same samples within DBC resolution. */
public class Model3RoundTripTest {
    static final long T0_MS = 1_700_000_000_000L; // a multiple of 20 ms

    /** DBC resolution of each field in its fleetlog unit (power: 0.1 A at ≤ 400 V, plus 0.01 V at ≤ 500 A). */
    static double resolution(Field f) {
        return switch (f) {
            case SPEED -> 0.08 / Units.KM_PER_MILE;
            case POWER -> (400 * 0.1 + 500 * 0.01) / 1000;
            case SOC -> 0.1;
            case HEADING -> 0.0078125;
            case ODOMETER -> 0.001 / Units.KM_PER_MILE;
            case LATITUDE, LONGITUDE -> 1e-6;
            case ELEVATION -> 1;
        };
    }

    /** A synthetic 2-minute drive at 50 Hz: accelerate, cruise, regen, a turn through north. */
    static List<Sample> drive(long seed) {
        Random rnd = new Random(seed);
        List<Sample> out = new ArrayList<>();
        double speed = 0, soc = 80, heading = 340, odo = 12_345.6, lat = 38.6, lon = -120.2, ele = 2000;
        for (int i = 0; i < 6000; i++) {
            double t = i / 50.0;
            double accel = t < 30 ? 2.5 : t < 80 ? 0.1 * Math.sin(t) : -1.5; // mph/s
            speed = Math.max(0, Math.min(120, speed + accel / 50 + rnd.nextGaussian() * 0.05));
            double power = 0.25 * speed + 6 * accel + rnd.nextGaussian();
            soc -= Math.max(0, power) / 75 / 3600 / 50 * 100;
            heading = (heading + 0.05 + rnd.nextGaussian() * 0.1 + 360) % 360;
            double miles = speed / 3600 / 50;
            odo += miles;
            lat += miles / 69 * Math.cos(Math.toRadians(heading));
            lon += miles / 54 * Math.sin(Math.toRadians(heading));
            ele -= miles * 20;
            out.add(new Sample(-1, T0_MS + 20L * i, new double[] {speed, power, soc, heading, odo, lat, lon, ele}));
        }
        return out;
    }

    public static Source of(List<Sample> samples) {
        return new Source() {
            int i;

            @Override
            public Sample next() {
                return i < samples.size() ? samples.get(i++) : null;
            }

            @Override
            public String describe() {
                return "synthetic drive";
            }
        };
    }

    @Test
    void simulatedDriveRoundTripsThroughTheBuiltInDbcSubset() throws IOException {
        roundTrip(SignalMapping.model3Dbc());
    }

    @Test
    void simulatedDriveRoundTripsThroughTheRealModel3Dbc() throws IOException {
        roundTrip(Dbc.parse(RealData.file(RealData.MODEL3_DBC)));
    }

    private void roundTrip(Dbc dbc) throws IOException {
        List<Sample> in = drive(7);
        Model3CanEncoder encoder = new Model3CanEncoder(dbc, "can0");
        StringWriter log = new StringWriter();
        try (CandumpWriter w = new CandumpWriter(log)) {
            assertThat(encoder.writeLog(of(in), w)).isEqualTo(in.size());
        }
        assertThat(encoder.clamped()).isZero();
        CandumpReader frames = new CandumpReader(new StringReader(log.toString()), "sim.log", null);
        List<Sample> out = new ArrayList<>();
        try (CanSource src =
                new CanSource(frames, SignalMapping.model3().bind(dbc), CanSource.Options.DEFAULT, "sim")) {
            for (Sample s; (s = src.next()) != null; ) {
                out.add(s);
            }
            assertThat(src.problems()).isZero();
        }
        assertThat(out).hasSameSizeAs(in);
        double[] worst = new double[Field.COUNT];
        for (int k = 0; k < in.size(); k++) {
            Sample got = out.get(k);
            assertThat(got.captureTimeMs()).isEqualTo(in.get(k).captureTimeMs());
            for (Field f : Field.values()) {
                // a message sent every n samples holds the value of the last sample it was sent at
                Sample sent = in.get(k - k % encoder.every(f));
                double err = f.distance(got.get(f), sent.get(f));
                worst[f.ordinal()] = Math.max(worst[f.ordinal()], err);
                assertThat(err)
                        .as("%s at sample %d: %s vs %s", f.key(), k, got.get(f), sent.get(f))
                        .isLessThanOrEqualTo(resolution(f) / 2 + 1e-9);
            }
        }
        assertThat(worst[Field.SPEED.ordinal()]).isGreaterThan(0); // the check can fail: values were quantised
    }
}
