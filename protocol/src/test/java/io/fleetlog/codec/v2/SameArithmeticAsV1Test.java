package io.fleetlog.codec.v2;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetlog.catalog.Catalogue;
import io.fleetlog.catalog.LegacyFields;
import io.fleetlog.codec.BatchEncoder;
import io.fleetlog.codec.CodecConfig;
import io.fleetlog.frame.Frame;
import io.fleetlog.sample.Field;
import io.fleetlog.sample.Sample;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * The v2 predictors do v1's arithmetic: today's eight fields sent as the built-in catalogue's seven
 * signals (Location carries latitude and longitude) give, after every batch, predictions bit-identical
 * to v1's {@link BatchEncoder} with the default thresholds — the same DESIGN law on the same quantised
 * values, so what v1 stored within bound, v2 stores identically.
 */
class SameArithmeticAsV1Test {

    @Property(tries = 200, edgeCases = EdgeCasesMode.NONE)
    void v2PredictionsOfTheLegacyFieldsAreV1sBitForBit(@ForAll long seed) {
        Catalogue c = Catalogue.builtin();
        FrameLayout layout = FrameLayout.ofNames(
                c, List.of("VehicleSpeed", "Power", "Soc", "GpsHeading", "Odometer", "Location", "Elevation"));
        BatchEncoder v1 = new BatchEncoder(CodecConfig.defaults());
        FrameEncoder v2 = new FrameEncoder(layout);
        SplittableRandom r = new SplittableRandom(seed);
        double[] x = {60, 10, 80, 350, 12_000, 37.39, -122.08, 40};
        long t = 1_700_000_000_000L;
        long seq = 0;
        for (int batch = 0; batch < 40; batch++) {
            List<Sample> samples = new ArrayList<>();
            List<Frame> frames = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                t += 20;
                step(x, r);
                samples.add(new Sample(seq + i, t, x.clone()));
                Frame.Builder b = Frame.builder(t);
                for (Field f : Field.values()) {
                    if (f != Field.LATITUDE && f != Field.LONGITUDE) {
                        b.number(c.id(LegacyFields.of(f).signal()), x[f.ordinal()]);
                    }
                }
                b.position(c.id("Location"), x[Field.LATITUDE.ordinal()], x[Field.LONGITUDE.ordinal()]);
                frames.add(b.build());
            }
            v1.encode(samples);
            v2.encode(seq, frames);
            seq += 50;
            double[] p1 = v1.predictorState();
            PredictorState p2 = v2.predictorState();
            for (Field f : Field.values()) {
                int slot = layout.slot(c.id(LegacyFields.of(f).signal()));
                long bits = f == Field.LONGITUDE ? p2.longitudeBits(slot) : p2.predictionBits(slot);
                assertThat(Double.longBitsToDouble(bits))
                        .as("%s after batch %d (seed %d)", f.key(), batch, seed)
                        .isEqualTo(p1[f.ordinal()]);
            }
        }
    }

    /** A drive: noisy speed and power, slow SoC, heading wandering across north, moving position. */
    private static void step(double[] x, SplittableRandom r) {
        x[0] = Math.max(0, Math.min(150, x[0] + r.nextGaussian() * 0.5));
        x[1] = Math.max(-200, Math.min(400, x[1] + r.nextGaussian() * 2));
        x[2] = Math.max(0, x[2] - r.nextDouble() * 0.001);
        x[3] = (x[3] + r.nextGaussian() * 1.5 + 360) % 360;
        x[4] += r.nextDouble() * 0.0005;
        x[5] += r.nextGaussian() * 3e-6;
        x[6] += r.nextGaussian() * 3e-6;
        x[7] += r.nextGaussian() * 0.05;
    }
}
