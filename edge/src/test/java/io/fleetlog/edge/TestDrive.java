package io.fleetlog.edge;

import io.fleetlog.sample.Sample;
import io.fleetlog.sample.Vin;
import io.fleetlog.source.Source;
import java.util.SplittableRandom;

/**
 * A plain drive for the edge's own tests (the edge does not depend on the simulator in {@code sim}): a
 * sample of the eight legacy signals every 20 ms from {@code t0}, speed and heading wandering smoothly,
 * power following speed, battery falling, position moving with speed and heading. Deterministic per
 * seed; endless.
 */
public final class TestDrive implements Source {
    /** The VIN of the tests' Model 3. */
    public static final String VIN = Vin.check(Vin.withCheckDigit("5YJ3E1EB0PF100001"));

    private static final long PERIOD_MS = 20;
    private final SplittableRandom random;
    private final long t0;
    private long index;
    private double speedMph = 30;
    private double headingDeg = 90;
    private double soc = 80;
    private double odometerMi = 12_345.678;
    private double lat = 37.4;
    private double lon = -122.1;

    public TestDrive(long seed, long t0) {
        this.random = new SplittableRandom(seed);
        this.t0 = t0;
    }

    @Override
    public Sample next() {
        long t = t0 + index++ * PERIOD_MS;
        speedMph = Math.clamp(speedMph + random.nextDouble(-0.4, 0.4), 0, 90);
        headingDeg = (headingDeg + random.nextDouble(-0.3, 0.3) + 360) % 360;
        double powerKw = speedMph * 0.35 + random.nextDouble(-2, 2);
        soc = Math.max(0, soc - 0.00002 * speedMph);
        double miles = speedMph * PERIOD_MS / 3_600_000.0;
        odometerMi += miles;
        lat += miles / 69.0 * Math.cos(Math.toRadians(headingDeg));
        lon += miles / 55.0 * Math.sin(Math.toRadians(headingDeg));
        double[] v = {speedMph, powerKw, soc, headingDeg, odometerMi, lat, lon, 12 + random.nextDouble(-0.5, 0.5)};
        return new Sample(0, t, v);
    }

    @Override
    public String describe() {
        return "test drive from " + t0;
    }
}
