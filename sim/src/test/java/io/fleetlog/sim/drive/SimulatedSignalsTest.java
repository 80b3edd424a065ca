package io.fleetlog.sim.drive;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetlog.catalog.BooleanType;
import io.fleetlog.catalog.Catalogue;
import io.fleetlog.catalog.EnumType;
import io.fleetlog.catalog.FloatType;
import io.fleetlog.catalog.IntegerType;
import io.fleetlog.catalog.Signal;
import io.fleetlog.catalog.StringType;
import io.fleetlog.codec.v2.FrameEncoder;
import io.fleetlog.codec.v2.FrameLayout;
import io.fleetlog.frame.Frame;
import io.fleetlog.sample.Sample;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.assertj.core.data.Offset;
import org.assertj.core.data.Percentage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Issue 13 item 5: the simulator's variety — rates, the charging session, ranges, determinism. */
class SimulatedSignalsTest {
    static final long T0 = 1_764_180_000_000L;
    static final Catalogue CAT = Catalogue.builtin();
    static final int HOURS = 2;
    static List<Frame> frames;

    @BeforeAll
    static void drive() {
        frames = frames(VehicleModel.MODEL3, 21, Duration.ofHours(HOURS));
    }

    static List<Frame> frames(VehicleModel m, long seed, Duration d) {
        DriveSimulator sim = new DriveSimulator(m, seed, T0, d);
        List<Frame> out = new ArrayList<>();
        for (Sample s = sim.next(); s != null; s = sim.next()) {
            out.add(s.frame());
        }
        return out;
    }

    static int id(String name) {
        return CAT.id(name);
    }

    static String code(String signal, long code) {
        return ((EnumType) CAT.get(signal).type())
                .byCode((int) code)
                .orElseThrow()
                .name();
    }

    /** Captures per signal name. */
    static Map<String, Integer> counts(List<Frame> fs) {
        Map<String, Integer> n = new TreeMap<>();
        for (Frame f : fs) {
            for (int i = 0; i < f.size(); i++) {
                n.merge(CAT.signal(f.id(i)).name(), 1, Integer::sum);
            }
        }
        return n;
    }

    @Test
    void aCarCarriesAtLeastTwentySignalsEachAtAboutItsRate() {
        Map<String, Integer> n = counts(frames);
        assertThat(n.size()).as("signals %s", n.keySet()).isGreaterThanOrEqualTo(20);
        double seconds = HOURS * 3600.0;
        Map<String, Double> hz = Map.ofEntries(
                Map.entry("VehicleSpeed", 50.0),
                Map.entry("Power", 50.0),
                Map.entry("Soc", 50.0),
                Map.entry("GpsHeading", 50.0),
                Map.entry("Odometer", 50.0),
                Map.entry("Location", 50.0),
                Map.entry("Elevation", 50.0),
                Map.entry("PackVoltage", 10.0),
                Map.entry("PackCurrent", 10.0),
                Map.entry("RatedRange", 1.0),
                Map.entry("EnergyRemaining", 1.0),
                Map.entry("InsideTemp", 0.1),
                Map.entry("OutsideTemp", 0.1),
                Map.entry("TpmsPressureFl", 1 / 30.0),
                Map.entry("TpmsPressureFr", 1 / 30.0),
                Map.entry("TpmsPressureRl", 1 / 30.0),
                Map.entry("TpmsPressureRr", 1 / 30.0),
                Map.entry("Version", 1 / 30.0));
        hz.forEach((name, rate) -> assertThat((double) n.getOrDefault(name, 0))
                .as("%s captures in %d h", name, HOURS)
                .isCloseTo(rate * seconds, Percentage.withPercentage(1)));
        // on change: a few times per cycle, never every frame
        for (String name :
                List.of("Gear", "ChargeState", "DetailedChargeState", "Locked", "SentryMode", "ChargePortDoorOpen")) {
            assertThat(n.getOrDefault(name, 0)).as(name).isBetween(3, 200);
        }
        // charger readings at 1 Hz while plugged in only: fewer than one per second of the run
        for (String name : List.of("ACChargingPower", "ChargerVoltage", "ChargeAmps")) {
            assertThat(n.getOrDefault(name, 0)).as(name).isBetween(60, (int) seconds - 1);
        }
    }

    @Test
    void aChargingSessionParksInPLocksRaisesSocToTheLimitAndDrivesOnInD() {
        long gear = -1;
        String charge = null;
        long locked = -1;
        String sentry = null;
        long limit = -1;
        double soc = Double.NaN;
        double socAtStart = Double.NaN;
        double socAtComplete = Double.NaN;
        long limitAtComplete = -1;
        int chargingFrames = 0;
        int drivingAfterCharge = 0;
        List<String> gears = new ArrayList<>();
        for (Frame f : frames) {
            for (int i = 0; i < f.size(); i++) {
                String name = CAT.signal(f.id(i)).name();
                switch (name) {
                    case "Gear" -> {
                        gear = f.integer(i);
                        gears.add(code("Gear", gear));
                    }
                    case "ChargeState" -> {
                        charge = code("ChargeState", f.integer(i));
                        if (charge.equals("Charging")) {
                            socAtStart = soc;
                        } else if (charge.equals("Complete")) {
                            socAtComplete = soc;
                            limitAtComplete = limit;
                        }
                    }
                    case "Locked" -> locked = f.integer(i);
                    case "SentryMode" -> sentry = code("SentryMode", f.integer(i));
                    case "ChargeLimitSoc" -> limit = f.integer(i);
                    case "Soc" -> soc = f.number(i);
                    default -> {}
                }
            }
            if ("Charging".equals(charge)) {
                chargingFrames++;
                assertThat(code("Gear", gear)).as("gear while charging").isEqualTo("P");
                assertThat(locked).as("locked while charging").isEqualTo(1);
                assertThat(sentry).isEqualTo("Armed");
                assertThat(f.number(f.indexOf(id("Power"))))
                        .as("power while charging")
                        .isNegative();
                assertThat(f.number(f.indexOf(id("VehicleSpeed")))).isZero();
            }
            if (code("Gear", gear).equals("D") && !Double.isNaN(socAtComplete)) {
                drivingAfterCharge++;
                assertThat(charge).isEqualTo("Disconnected");
                assertThat(locked).isZero();
                assertThat(sentry).isEqualTo("Off");
            }
        }
        assertThat(chargingFrames).as("a session within %d h", HOURS).isGreaterThan(50 * 60);
        assertThat(socAtComplete).isGreaterThan(socAtStart + 1).isCloseTo(limitAtComplete, Offset.offset(0.2));
        assertThat(drivingAfterCharge).as("drives on after the session").isGreaterThan(50 * 60);
        assertThat(gears.subList(0, 5)).containsExactly("D", "P", "R", "N", "D");
    }

    @Test
    void everyValueIsInsideItsSignalsRangeAtItsResolutionAndTheEncoderTakesEveryFrame() {
        for (Frame f : frames) {
            for (int i = 0; i < f.size(); i++) {
                Signal s = CAT.signal(f.id(i));
                switch (s.type()) {
                    case FloatType t -> {
                        double v = f.number(i);
                        assertThat(t.inRange(v)).as("%s %s", s.name(), v).isTrue();
                        if (!t.circular()) {
                            assertThat(t.quantise(v))
                                    .as("%s at its resolution", s.name())
                                    .isEqualTo(v);
                        }
                    }
                    case EnumType e ->
                        assertThat(e.byCode((int) f.integer(i))).as(s.name()).isPresent();
                    case BooleanType b -> assertThat(f.integer(i)).isBetween(0L, 1L);
                    case IntegerType t ->
                        assertThat(t.inRange(f.integer(i))).as(s.name()).isTrue();
                    case StringType t -> assertThat(t.fits(f.string(i))).isTrue();
                    default -> {}
                }
            }
        }
        FrameEncoder enc = new FrameEncoder(FrameLayout.all(CAT));
        for (int i = 0; i < frames.size(); i += 2_000) {
            enc.encode(i, frames.subList(i, Math.min(frames.size(), i + 2_000)));
        }
    }

    @Test
    void packVoltageTimesCurrentIsTheFramesPower() {
        int checked = 0;
        for (Frame f : frames) {
            int v = f.indexOf(id("PackVoltage"));
            if (v < 0) {
                continue;
            }
            double kw = f.number(v) * f.number(f.indexOf(id("PackCurrent"))) / 1000;
            double power = f.number(f.indexOf(id("Power")));
            assertThat(kw).isCloseTo(power, Offset.offset(0.05 + Math.abs(power) * 0.001));
            assertThat(f.number(v)).isBetween(280.0, 420.0);
            checked++;
        }
        assertThat(checked).isEqualTo(HOURS * 3600 * 10);
    }

    @Test
    void tyresWarmWhileDrivingAndReadAFewBar() {
        int fl = id("TpmsPressureFl");
        List<Double> p = new ArrayList<>();
        for (Frame f : frames) {
            int i = f.indexOf(fl);
            if (i >= 0) {
                p.add(f.number(i));
            }
        }
        assertThat(p).allSatisfy(x -> assertThat(x).isBetween(2.5, 3.5));
        double max = p.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        assertThat(max - p.get(0)).as("warming").isGreaterThan(0.08);
    }

    @Test
    void theSameSeedGivesTheSameFramesAndAnotherSeedOthers() {
        List<Frame> a = frames(VehicleModel.MODELY, 9, Duration.ofMinutes(12));
        assertThat(frames(VehicleModel.MODELY, 9, Duration.ofMinutes(12))).isEqualTo(a);
        DriveSimulator endless = new DriveSimulator(VehicleModel.MODELY, 9, T0, null);
        for (Frame f : a) {
            assertThat(endless.next().frame()).isEqualTo(f);
        }
        assertThat(frames(VehicleModel.MODELY, 10, Duration.ofMinutes(12))).isNotEqualTo(a);
    }
}
