package io.fleetlog.sim.drive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fleetlog.sample.Field;
import io.fleetlog.sample.Sample;
import io.fleetlog.sample.Vin;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DriveSimulatorTest {
    static final long T0 = 1_764_180_000_000L;
    static final int GEAR = io.fleetlog.catalog.Catalogue.builtin().id("Gear");
    static final long GEAR_D = 5; // the built-in catalogue's Gear code of D

    static List<Sample> drive(VehicleModel m, long seed, Duration d) {
        DriveSimulator sim = new DriveSimulator(m, seed, T0, d);
        List<Sample> out = new ArrayList<>();
        for (Sample s = sim.next(); s != null; s = sim.next()) {
            out.add(s);
        }
        return out;
    }

    @Test
    void theSameSeedGivesTheSameDriveSampleForSample() {
        List<Sample> a = drive(VehicleModel.MODELY, 7, Duration.ofMinutes(5));
        List<Sample> b = drive(VehicleModel.MODELY, 7, Duration.ofMinutes(5));
        assertThat(a).hasSize(15_000).isEqualTo(b);
        // an endless drive starts with the same samples
        DriveSimulator endless = new DriveSimulator(VehicleModel.MODELY, 7, T0, null);
        for (Sample s : a) {
            assertThat(endless.next()).isEqualTo(s);
        }
        assertThat(drive(VehicleModel.MODELY, 8, Duration.ofMinutes(5))).isNotEqualTo(a);
    }

    @Test
    void samplesAre50HzCaptureTimesAndTheDurationBoundsTheDrive() {
        List<Sample> s = drive(VehicleModel.MODEL3, 1, Duration.ofSeconds(10));
        assertThat(s).hasSize(500);
        for (int i = 0; i < s.size(); i++) {
            assertThat(s.get(i).captureTimeMs()).isEqualTo(T0 + 20L * i);
        }
    }

    @Test
    void aLongDriveIsPhysicallyConsistentForEveryModel() {
        for (VehicleModel m : VehicleModel.values()) {
            // 90 minutes: the routine's drives, a stop to charge (see ChargeCycle) and more driving
            List<Sample> s = drive(m, 3, Duration.ofMinutes(90));
            double maxSpeed = 0;
            double minPower = 0;
            long stopped = 0;
            double speedIntegralMi = 0;
            double energyKwh = 0;
            double drivingKwh = 0; // consumption: energy while in gear D (charging excluded)
            long gear = -1;
            for (int i = 0; i < s.size(); i++) {
                Sample x = s.get(i);
                x.validate();
                for (Field f : Field.values()) {
                    assertThat(x.available(f)).as("%s %s", m, f).isTrue();
                }
                maxSpeed = Math.max(maxSpeed, x.get(Field.SPEED));
                minPower = Math.min(minPower, x.get(Field.POWER));
                stopped += x.get(Field.SPEED) == 0 ? 1 : 0;
                speedIntegralMi += x.get(Field.SPEED) * 0.02 / 3600;
                energyKwh += x.get(Field.POWER) * 0.02 / 3600;
                int g = x.frame().indexOf(GEAR);
                gear = g >= 0 ? x.frame().integer(g) : gear;
                drivingKwh += gear == GEAR_D ? x.get(Field.POWER) * 0.02 / 3600 : 0;
                if (i > 0) {
                    assertThat(x.get(Field.ODOMETER))
                            .isGreaterThanOrEqualTo(s.get(i - 1).get(Field.ODOMETER));
                }
                assertThat(x.get(Field.POWER)).isLessThanOrEqualTo(m.peakPowerKw() / 0.9 + 5);
                assertThat(x.get(Field.POWER)).isGreaterThanOrEqualTo(-m.regenLimitKw() - 2);
            }
            Sample first = s.get(0);
            Sample last = s.get(s.size() - 1);
            double odo = last.get(Field.ODOMETER) - first.get(Field.ODOMETER);
            assertThat(odo).as("%s distance", m).isGreaterThan(10);
            assertThat(speedIntegralMi)
                    .as("%s odometer integrates speed", m)
                    .isCloseTo(odo, org.assertj.core.data.Percentage.withPercentage(1));
            double socDrop = first.get(Field.SOC) - last.get(Field.SOC);
            double expected = energyKwh / m.batteryKwh() * 100;
            assertThat(socDrop)
                    .as("%s SoC falls with energy", m)
                    .isCloseTo(expected, org.assertj.core.data.Offset.offset(0.2));
            double whPerMi = drivingKwh * 1000 / odo;
            assertThat(whPerMi).as("%s consumption Wh/mi", m).isBetween(150.0, 450.0);
            // hills are 40/50 mph, highways 65/70: which a 90-minute routine (half of it parked and
            // charging) reaches depends on the seed's route
            assertThat(maxSpeed).as("%s reaches open-road speed", m).isGreaterThan(45);
            assertThat(minPower).as("%s regenerates", m).isLessThan(-10);
            assertThat(stopped).as("%s waits at lights", m).isGreaterThan(100);
        }
    }

    @Test
    void gpsTrackFollowsSpeedAndHeading() {
        List<Sample> s = drive(VehicleModel.MODELS_PLAID, 11, Duration.ofMinutes(60));
        int checked = 0;
        for (int i = 250; i + 250 < s.size(); i += 250) {
            Sample a = s.get(i);
            Sample b = s.get(i + 250); // 5 s later
            double dist = metres(a, b);
            double speedDist = (a.get(Field.SPEED) + b.get(Field.SPEED)) / 2 * 0.44704 * 5;
            assertThat(dist).isCloseTo(speedDist, org.assertj.core.data.Offset.offset(15 + speedDist * 0.25));
            if (a.get(Field.SPEED) > 40 && Field.HEADING.distance(a.get(Field.HEADING), b.get(Field.HEADING)) < 3) {
                double bearing = Math.toDegrees(Math.atan2(
                        (b.get(Field.LONGITUDE) - a.get(Field.LONGITUDE))
                                * Math.cos(Math.toRadians(a.get(Field.LATITUDE))),
                        b.get(Field.LATITUDE) - a.get(Field.LATITUDE)));
                assertThat(Field.HEADING.distance(bearing, a.get(Field.HEADING)))
                        .isLessThan(10);
                checked++;
            }
        }
        assertThat(checked).isGreaterThan(5);
    }

    static double metres(Sample a, Sample b) {
        double dLat = Math.toRadians(b.get(Field.LATITUDE) - a.get(Field.LATITUDE));
        double dLon = Math.toRadians(b.get(Field.LONGITUDE) - a.get(Field.LONGITUDE))
                * Math.cos(Math.toRadians(a.get(Field.LATITUDE)));
        return 6_371_000 * Math.hypot(dLat, dLon);
    }

    @Test
    void vinsAreValidStableAndDistinct() {
        Set<String> seen = new HashSet<>();
        for (VehicleModel m : VehicleModel.values()) {
            for (int i = 0; i < 50; i++) {
                String vin = DriveSimulator.vin(m, i);
                assertThat(Vin.isValid(vin)).as(vin).isTrue();
                assertThat(vin).startsWith(m == VehicleModel.MODEL3 || m == VehicleModel.MODELS_PLAID ? "5YJ" : "7SA");
                assertThat(seen.add(vin)).isTrue();
                assertThat(DriveSimulator.vin(m, i)).isEqualTo(vin);
            }
        }
        assertThat(VehicleModel.byKey("models-plaid")).isEqualTo(VehicleModel.MODELS_PLAID);
        assertThat(VehicleModel.MODELS_PLAID.displayName()).isEqualTo("Model S Plaid");
        assertThatThrownBy(() -> VehicleModel.byKey("cybertruck")).hasMessageContaining("cybertruck");
    }
}
