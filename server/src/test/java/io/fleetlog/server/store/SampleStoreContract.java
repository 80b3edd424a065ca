package io.fleetlog.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fleetlog.sample.Field;
import io.fleetlog.sample.Sample;
import io.fleetlog.server.testing.Samples;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The contract every {@link SampleStore} keeps; subclasses open a fresh, empty store. */
abstract class SampleStoreContract {
    static final String VIN = Samples.VIN_A;
    static final String OTHER = Samples.VIN_B;

    SampleStore store;

    abstract SampleStore openStore() throws Exception;

    /** Closes and reopens the same store (same file or database). */
    abstract SampleStore reopen() throws Exception;

    @BeforeEach
    void open() throws Exception {
        store = openStore();
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    @Test
    void emptyStoreKnowsNothing() {
        assertThat(store.lastSeq(VIN)).isEqualTo(-1);
        assertThat(store.count(VIN)).isZero();
        assertThat(store.vins()).isEmpty();
        List<Sample> seen = new ArrayList<>();
        store.scan(VIN, 0, Long.MAX_VALUE, seen::add);
        assertThat(seen).isEmpty();
    }

    @Test
    void appendedSamplesComeBackExactlyInOrder() {
        List<Sample> in = Samples.drive(0, 500, Samples.T0);
        store.append(VIN, in.subList(0, 200));
        store.append(VIN, in.subList(200, 500));
        List<Sample> out = new ArrayList<>();
        store.scan(VIN, 0, Long.MAX_VALUE, out::add);
        assertThat(out).containsExactlyElementsOf(in);
        assertThat(store.lastSeq(VIN)).isEqualTo(499);
        assertThat(store.count(VIN)).isEqualTo(500);
        assertThat(store.totals(VIN).lastCaptureMs()).isEqualTo(in.get(499).captureTimeMs());
        assertThat(store.vins()).containsExactly(VIN);
    }

    @Test
    void unavailableValuesAndReconstructedMaskSurvive() {
        double[] v = new double[Field.COUNT];
        java.util.Arrays.fill(v, Double.NaN);
        v[Field.SPEED.ordinal()] = 12.5;
        Sample s = new Sample(0, Samples.T0, v, 1 << Field.SPEED.ordinal());
        store.append(VIN, List.of(s));
        List<Sample> out = new ArrayList<>();
        store.scan(VIN, 0, Long.MAX_VALUE, out::add);
        assertThat(out).containsExactly(s);
        assertThat(out.get(0).available(Field.POWER)).isFalse();
        assertThat(out.get(0).omitted(Field.SPEED)).isTrue();
    }

    /** A catalogue with every type: the built-in one plus a string, an enum, a boolean and an integer. */
    static io.fleetlog.catalog.Catalogue extended() throws Exception {
        return io.fleetlog.catalog.CatalogueFormat.parseOver(
                io.fleetlog.catalog.Catalogue.builtin(),
                "Firmware string maxlength=400\nDriveMode enum values=Chill:0,Standard:1,Sport:2\n"
                        + "Sentry boolean\nOccupants integer range=0..9\n",
                "contract");
    }

    @Test
    void randomSparseFramesOfEveryKindComeBackExactly() throws Exception {
        io.fleetlog.catalog.Catalogue c = extended();
        List<Sample> in = Samples.sparse(c, 0, 700, Samples.T0, 13);
        store.append(VIN, in.subList(0, 1));
        store.append(VIN, in.subList(1, 300));
        store.append(VIN, in.subList(300, 700));
        List<Sample> out = new ArrayList<>();
        store.scan(VIN, 0, Long.MAX_VALUE, out::add);
        assertThat(out).as("frames, omitted marks and all").containsExactlyElementsOf(in);
        for (int i = 0; i < in.size(); i++) {
            assertThat(out.get(i).frame().toString())
                    .isEqualTo(in.get(i).frame().toString());
        }
        assertThat(store.stored(
                        VIN, 100, 199, Samples.T0 + 100 * Samples.PERIOD_MS, Samples.T0 + 199 * Samples.PERIOD_MS))
                .containsExactlyElementsOf(in.subList(100, 200));
        assertThat(store.count(VIN)).isEqualTo(700);
        // resent frames are ignored, whatever they hold
        store.append(VIN, Samples.sparse(c, 650, 100, Samples.T0 + 650 * Samples.PERIOD_MS, 14));
        out.clear();
        store.scan(VIN, 0, Long.MAX_VALUE, out::add);
        assertThat(out.subList(0, 700)).containsExactlyElementsOf(in);
        assertThat(store.count(VIN)).isEqualTo(750);
        store.close();
        store = reopen();
        List<Sample> again = new ArrayList<>();
        store.scan(VIN, 0, Samples.T0 + 700 * Samples.PERIOD_MS, again::add);
        assertThat(again).as("after a reopen").containsExactlyElementsOf(in);
    }

    @Test
    void aVehiclesCatalogueIsTheBuiltInOneUntilRecordedAndSurvivesAReopen() throws Exception {
        io.fleetlog.catalog.Catalogue c = extended();
        assertThat(store.catalogue(VIN)).isEqualTo(io.fleetlog.catalog.Catalogue.builtin());
        store.useCatalogue(VIN, io.fleetlog.catalog.Catalogue.builtin());
        assertThat(store.catalogue(VIN)).isEqualTo(io.fleetlog.catalog.Catalogue.builtin());
        store.useCatalogue(VIN, c);
        store.useCatalogue(OTHER, c); // stored once, used by two
        assertThat(store.catalogue(VIN)).isEqualTo(c);
        assertThat(store.vins()).contains(VIN, OTHER);
        store.close();
        store = reopen();
        assertThat(store.catalogue(VIN)).isEqualTo(c);
        assertThat(store.catalogue(VIN).id("Firmware")).isEqualTo(c.id("Firmware"));
        assertThat(store.catalogue(OTHER)).isEqualTo(c);
        assertThat(store.catalogue(Samples.vins(1).get(0))).isEqualTo(io.fleetlog.catalog.Catalogue.builtin());
        store.useCatalogue(OTHER, io.fleetlog.catalog.Catalogue.builtin());
        assertThat(store.catalogue(OTHER)).isEqualTo(io.fleetlog.catalog.Catalogue.builtin());
        assertThat(store.catalogue(VIN)).isEqualTo(c);
    }

    @Test
    void resendsAreIgnoredNotDuplicated() {
        List<Sample> in = Samples.drive(0, 300, Samples.T0);
        store.append(VIN, in.subList(0, 200));
        store.append(VIN, in.subList(100, 300)); // overlaps 100..199
        store.append(VIN, in.subList(0, 300)); // all duplicates
        store.append(VIN, in.subList(0, 131)); // older duplicates only: totals unchanged
        assertThat(store.count(VIN)).isEqualTo(300);
        assertThat(store.lastSeq(VIN)).isEqualTo(299);
        assertThat(store.totals(VIN).lastCaptureMs()).isEqualTo(in.get(299).captureTimeMs());
        List<Sample> out = new ArrayList<>();
        store.scan(VIN, 0, Long.MAX_VALUE, out::add);
        assertThat(out).containsExactlyElementsOf(in);
    }

    @Test
    void scanSelectsHalfOpenTimeRangeAndLimit() {
        List<Sample> in = Samples.drive(0, 100, Samples.T0); // 20 ms apart
        store.append(VIN, in);
        List<Sample> out = new ArrayList<>();
        store.scan(VIN, in.get(10).captureTimeMs(), in.get(20).captureTimeMs(), out::add);
        assertThat(out).containsExactlyElementsOf(in.subList(10, 20));
        out.clear();
        store.scan(VIN, 0, Long.MAX_VALUE, 5, out::add);
        assertThat(out).containsExactlyElementsOf(in.subList(0, 5));
    }

    @Test
    void scanFindsTimeBoundsAcrossSeqHoles() {
        List<Sample> a = Samples.drive(0, 10, Samples.T0);
        List<Sample> b = Samples.drive(20, 10, Samples.T0 + 1000);
        store.append(VIN, a);
        store.append(VIN, b);
        List<Sample> out = new ArrayList<>();
        store.scan(VIN, Samples.T0 + 500, Samples.T0 + 1060, out::add);
        assertThat(out).containsExactlyElementsOf(b.subList(0, 3));
        out.clear();
        store.scan(VIN, Samples.T0 + 100, Samples.T0 + 1000, out::add);
        assertThat(out).containsExactlyElementsOf(a.subList(5, 10));
        out.clear();
        store.scan(VIN, Samples.T0 + 5000, Long.MAX_VALUE, out::add);
        assertThat(out).isEmpty();
        store.scan(VIN, Long.MIN_VALUE, Samples.T0, out::add);
        assertThat(out).isEmpty();
    }

    /** Issue 12 item 3: a resend is compared with what is stored; the read covers a seq range only. */
    @Test
    void storedReturnsTheSamplesOfASeqRangeWithinATimeRange() {
        List<Sample> in = Samples.drive(0, 300, Samples.T0);
        store.append(VIN, in.subList(0, 100));
        store.append(VIN, in.subList(150, 300)); // a hole 100..149
        store.append(OTHER, Samples.drive(0, 300, Samples.T0));
        assertThat(store.stored(VIN, 90, 160, Samples.T0, Long.MAX_VALUE))
                .containsExactlyElementsOf(concat(in.subList(90, 100), in.subList(150, 161)));
        long t95 = in.get(95).captureTimeMs();
        assertThat(store.stored(VIN, 90, 160, t95, in.get(155).captureTimeMs()))
                .as("both ranges inclusive")
                .containsExactlyElementsOf(concat(in.subList(95, 100), in.subList(150, 156)));
        assertThat(store.stored(VIN, 100, 149, 0, Long.MAX_VALUE)).isEmpty();
        assertThat(store.stored(VIN, 10, 5, 0, Long.MAX_VALUE)).isEmpty();
        assertThat(store.stored(Samples.vins(1).get(0), 0, 10, 0, Long.MAX_VALUE))
                .isEmpty();
    }

    private static List<Sample> concat(List<Sample> a, List<Sample> b) {
        List<Sample> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    @Test
    void vehiclesAreIsolated() {
        store.append(VIN, Samples.drive(0, 10, Samples.T0));
        store.append(OTHER, Samples.drive(0, 3, Samples.T0));
        assertThat(store.count(VIN)).isEqualTo(10);
        assertThat(store.count(OTHER)).isEqualTo(3);
        assertThat(store.vins()).containsExactly(VIN, OTHER);
        List<Sample> out = new ArrayList<>();
        store.scan(OTHER, 0, Long.MAX_VALUE, out::add);
        assertThat(out).hasSize(3);
    }

    @Test
    void samplesSpanningDaysAreStored() {
        long nearMidnight = (Samples.T0 / 86_400_000L + 1) * 86_400_000L - 1_000;
        List<Sample> in = Samples.drive(0, 200, nearMidnight); // 4 s across midnight UTC
        store.append(VIN, in);
        List<Sample> out = new ArrayList<>();
        store.scan(VIN, 0, Long.MAX_VALUE, out::add);
        assertThat(out).containsExactlyElementsOf(in);
    }

    @Test
    void vehicleRegistryKeepsModelAndName() {
        store.upsertVehicle(new Vehicle(VIN, "model3", "Model 3 #1"));
        store.upsertVehicle(new Vehicle(VIN, null, "Renamed"));
        assertThat(store.vehicle(VIN)).contains(new Vehicle(VIN, "model3", "Renamed"));
        assertThat(store.vehicle(OTHER)).isEmpty();
        assertThat(store.vins()).containsExactly(VIN);
        assertThat(store.lastSeq(VIN)).isEqualTo(-1);
    }

    @Test
    void purgeBeforeDeletesWholeOldDaysKeepsLastSeqAndCounts() {
        long day0 = SampleStore.dayStart(Samples.T0);
        long day = SampleStore.DAY_MS;
        // 100 samples late on day 0, 100 on day 1, 100 on day 2 (20 ms apart), for two vehicles
        List<Sample> in = new ArrayList<>();
        for (int d = 0; d < 3; d++) {
            in.addAll(Samples.drive(d * 100, 100, day0 + d * day + day - 10_000));
        }
        store.append(VIN, in);
        store.append(OTHER, in.subList(0, 150)); // day 0 and half of day 1
        store.recordEvent(VehicleEvent.link(VIN, day0 + 1000, true));
        store.recordEvent(VehicleEvent.link(VIN, day0 + 2 * day, false));

        long removed = store.purgeBefore(day0 + 2 * day); // keep day 2 on
        assertThat(removed).isEqualTo(200 + 150);
        List<Sample> out = new ArrayList<>();
        store.scan(VIN, Long.MIN_VALUE, Long.MAX_VALUE, out::add);
        assertThat(out).containsExactlyElementsOf(in.subList(200, 300));
        assertThat(store.count(VIN)).isEqualTo(100);
        assertThat(store.lastSeq(VIN))
                .as("lastSeq stays: nothing is asked again")
                .isEqualTo(299);
        assertThat(store.count(OTHER)).isZero();
        assertThat(store.lastSeq(OTHER)).isEqualTo(149);
        assertThat(store.events(VIN, Long.MIN_VALUE, Long.MAX_VALUE))
                .extracting(VehicleEvent::kind)
                .containsExactly(VehicleEvent.Kind.OFFLINE);
        assertThat(store.purgeBefore(day0 + 2 * day))
                .as("nothing more to delete")
                .isZero();
        // appends go on after a purge
        store.append(VIN, Samples.drive(300, 10, day0 + 3 * day));
        assertThat(store.count(VIN)).isEqualTo(110);
        assertThatThrownBy(() -> store.purgeBefore(day0 + 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void openLinksCountOnlineMinusOfflineEventsPerVehicle() {
        assertThat(store.openLinks(VIN)).isZero();
        store.recordEvent(VehicleEvent.link(VIN, 1000, true));
        store.recordEvent(VehicleEvent.link(VIN, 1100, true)); // a second connection before the first closed
        store.recordEvent(VehicleEvent.gap(VIN, 1200, 10, 19, "declared"));
        store.recordEvent(VehicleEvent.link(VIN, 1300, false));
        store.recordEvent(VehicleEvent.link(OTHER, 1000, true));
        store.recordEvent(VehicleEvent.link(OTHER, 2000, false));
        assertThat(store.openLinks(VIN)).isEqualTo(1);
        assertThat(store.openLinks(OTHER)).isZero();
        assertThat(store.openLinks(io.fleetlog.sample.Vin.withCheckDigit("7SAYGDEE0PF000003")))
                .as("unknown vehicle")
                .isZero();
    }

    @Test
    void eventsAreStoredInTimeOrder() {
        store.recordEvent(VehicleEvent.link(VIN, 1000, true));
        store.recordEvent(VehicleEvent.gap(VIN, 2000, 10, 19, "declared"));
        store.recordEvent(VehicleEvent.link(VIN, 3000, false));
        List<VehicleEvent> all = store.events(VIN, 0, Long.MAX_VALUE);
        assertThat(all)
                .extracting(VehicleEvent::kind)
                .containsExactly(VehicleEvent.Kind.ONLINE, VehicleEvent.Kind.GAP, VehicleEvent.Kind.OFFLINE);
        assertThat(all.get(1).missing()).isEqualTo(10);
        assertThat(store.events(VIN, 1500, 3000)).hasSize(1);
        assertThat(store.events(OTHER, 0, Long.MAX_VALUE)).isEmpty();
    }

    @Test
    void concurrentAppendsOfManyVehiclesAllLand() throws Exception {
        List<String> vins = Samples.vins(8);
        ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor();
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (String vin : vins) {
                fs.add(ex.submit(() -> {
                    for (int b = 0; b < 10; b++) {
                        store.append(vin, Samples.drive(b * 50L, 50, Samples.T0 + b * 1000L));
                    }
                }));
            }
            for (Future<?> f : fs) {
                f.get();
            }
        } finally {
            ex.shutdown();
        }
        for (String vin : vins) {
            assertThat(store.count(vin)).as(vin).isEqualTo(500);
            assertThat(store.lastSeq(vin)).as(vin).isEqualTo(499);
        }
    }

    @Test
    void dataSurvivesReopen() throws Exception {
        List<Sample> in = Samples.drive(0, 100, Samples.T0);
        store.append(VIN, in);
        store.upsertVehicle(new Vehicle(VIN, "modely", "Y"));
        store = reopen();
        assertThat(store.lastSeq(VIN)).isEqualTo(99);
        assertThat(store.count(VIN)).isEqualTo(100);
        assertThat(store.vehicle(VIN)).contains(new Vehicle(VIN, "modely", "Y"));
        store.append(VIN, in); // still idempotent after reopen
        assertThat(store.count(VIN)).isEqualTo(100);
    }

    @Test
    void closeIsIdempotentAndLaterWritesFail() {
        store.close();
        store.close();
        assertThatThrownBy(() -> store.append(VIN, Samples.drive(0, 1, Samples.T0)))
                .isInstanceOf(StoreException.class);
    }

    @Test
    void consumedWritesAndTheirOffsetsCommitTogether() throws Exception {
        List<Sample> in = Samples.drive(0, 300, Samples.T0);
        io.fleetlog.catalog.Catalogue cat = extended();
        store.applyConsumed(
                List.of(
                        new StoreWrite.UpsertVehicle(new Vehicle(VIN, "Model 3", "Red")),
                        new StoreWrite.UseCatalogue(VIN, cat),
                        new StoreWrite.Event(VehicleEvent.link(VIN, Samples.T0, true)),
                        new StoreWrite.Append(VIN, in.subList(0, 100)),
                        new StoreWrite.Append(OTHER, in.subList(0, 10))),
                List.of(
                        new ConsumedOffset("g", "t", 0, ConsumedOffset.NONE, 4),
                        new ConsumedOffset("g", "t", 3, -1, 1)));
        store.applyConsumed(
                List.of(new StoreWrite.Append(VIN, in.subList(50, 300))), // 50..99 again: ignored, not doubled
                List.of(new ConsumedOffset("g", "t", 0, 4, 5)));
        assertThat(store.consumedOffsets("g", "t")).containsExactlyInAnyOrderEntriesOf(java.util.Map.of(0, 5L, 3, 1L));
        assertThat(store.consumedOffsets("other-group", "t")).isEmpty();
        store = reopen();
        List<Sample> out = new ArrayList<>();
        store.scan(VIN, 0, Long.MAX_VALUE, out::add);
        assertThat(out).containsExactlyElementsOf(in);
        assertThat(store.totals(VIN))
                .isEqualTo(new VehicleTotals(299, 300, in.get(299).captureTimeMs()));
        assertThat(store.count(OTHER)).isEqualTo(10);
        assertThat(store.vehicle(VIN)).contains(new Vehicle(VIN, "Model 3", "Red"));
        assertThat(store.catalogue(VIN).hash()).isEqualTo(cat.hash());
        assertThat(store.events(VIN, Long.MIN_VALUE, Long.MAX_VALUE)).hasSize(1);
        assertThat(store.consumedOffsets("g", "t")).containsEntry(0, 5L);
    }

    @Test
    void anOffsetMovedByAnotherConsumerRefusesTheWholeCall() {
        store.applyConsumed(
                List.of(new StoreWrite.Append(VIN, Samples.drive(0, 10, Samples.T0))),
                List.of(new ConsumedOffset("g", "t", 0, ConsumedOffset.NONE, 7)));
        // A consumer that believes the partition is still unread, and one that is behind: both refused.
        for (long expected : new long[] {ConsumedOffset.NONE, 5}) {
            assertThatThrownBy(() -> store.applyConsumed(
                            List.of(
                                    new StoreWrite.Append(VIN, Samples.drive(10, 10, Samples.T0 + 200)),
                                    new StoreWrite.Event(VehicleEvent.link(VIN, Samples.T0, true))),
                            List.of(
                                    new ConsumedOffset("g", "t", 1, ConsumedOffset.NONE, 3),
                                    new ConsumedOffset("g", "t", 0, expected, 9))))
                    .satisfies(e -> assertThat(OffsetConflictException.in(e)).isNotNull());
        }
        assertThat(store.lastSeq(VIN)).isEqualTo(9);
        assertThat(store.count(VIN)).isEqualTo(10);
        assertThat(store.events(VIN, Long.MIN_VALUE, Long.MAX_VALUE)).isEmpty();
        assertThat(store.consumedOffsets("g", "t")).containsExactlyEntriesOf(java.util.Map.of(0, 7L));
    }

    @Test
    void invalidVinIsRefused() {
        assertThatThrownBy(() -> store.append("NOT-A-VIN", Samples.drive(0, 1, Samples.T0)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    // ---- drives and charges (SessionStore) ----

    static Drive drive(String vin, long start, long end, double energy) {
        return new Drive(
                vin,
                start,
                end,
                52.5,
                13.4,
                52.6,
                Double.NaN,
                1000,
                1010,
                energy,
                "power",
                60,
                40,
                12,
                Double.NaN,
                80,
                77,
                0.25);
    }

    static Charge charge(String vin, long start, long end) {
        return new Charge(vin, start, end, 52.5, 13.4, 11, 60, 75, 11.5, 10.9, "AC", Double.NaN, null, 0);
    }

    private SessionStore sessions() {
        return store.sessions().orElseThrow();
    }

    @Test
    void sessionsComeBackExactlyWithUnknownValuesAsNaN() {
        long t = Samples.T0;
        Drive d = drive(VIN, t, t + 600_000, 3.2);
        Charge c = charge(VIN, t + 700_000, t + 4_000_000).withCost(4.4, "EUR");
        sessions().replaceSessions(VIN, t, t + 4_000_000, List.of(d), List.of(c));
        assertThat(sessions().drive(VIN, t)).contains(d);
        assertThat(sessions().charge(VIN, t + 700_000)).contains(c);
        assertThat(sessions().drive(VIN, t + 1)).isEmpty();
        assertThat(sessions().drive(OTHER, t)).isEmpty();
        assertThat(sessions().drives(VIN, Long.MIN_VALUE, Long.MAX_VALUE, Long.MIN_VALUE, 10))
                .containsExactly(d);
        assertThat(sessions().charges(VIN, Long.MIN_VALUE, Long.MAX_VALUE, Long.MIN_VALUE, 10))
                .containsExactly(c);
    }

    @Test
    void replacingAWindowDeletesEveryOverlappingSessionInOneStep() {
        long t = Samples.T0;
        sessions()
                .replaceSessions(
                        VIN,
                        t,
                        t + 10_000,
                        List.of(drive(VIN, t, t + 1000, 1), drive(VIN, t + 2000, t + 3000, 1)),
                        List.of());
        sessions().replaceSessions(OTHER, t, t + 10_000, List.of(drive(OTHER, t, t + 3000, 1)), List.of());
        // the half drive derived before its late frames came is replaced by the whole one
        Drive whole = drive(VIN, t, t + 3000, 2);
        sessions().replaceSessions(VIN, t, t + 3000, List.of(whole), List.of());
        assertThat(sessions().drives(VIN, Long.MIN_VALUE, Long.MAX_VALUE, Long.MIN_VALUE, 10))
                .containsExactly(whole);
        assertThat(sessions().drives(OTHER, Long.MIN_VALUE, Long.MAX_VALUE, Long.MIN_VALUE, 10))
                .hasSize(1);
        assertThatThrownBy(() -> sessions().replaceSessions(VIN, t + 5000, t + 6000, List.of(whole), List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("outside the window");
    }

    @Test
    void sessionListsPageByCursorAndFilterByTime() {
        long t = Samples.T0;
        List<Drive> in = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            in.add(drive(VIN, t + i * 10_000L, t + i * 10_000L + 5000, i));
        }
        sessions().replaceSessions(VIN, t, t + 300_000, in, List.of());
        List<Drive> seen = new ArrayList<>();
        long after = Long.MIN_VALUE;
        while (true) {
            List<Drive> page = sessions().drives(VIN, Long.MIN_VALUE, Long.MAX_VALUE, after, 10);
            seen.addAll(page);
            if (page.size() < 10) {
                break;
            }
            after = page.get(page.size() - 1).startMs();
        }
        assertThat(seen).containsExactlyElementsOf(in);
        // overlapping [from, to): a drive that started before from but ends at or after it is included
        assertThat(sessions().drives(VIN, t + 16_000, t + 30_000, Long.MIN_VALUE, 100))
                .extracting(Drive::startMs)
                .containsExactly(t + 20_000);
        assertThat(sessions().drives(VIN, t + 14_000, t + 30_000, Long.MIN_VALUE, 100))
                .extracting(Drive::startMs)
                .containsExactly(t + 10_000, t + 20_000);
    }

    @Test
    void sessionsSurviveReopen() throws Exception {
        long t = Samples.T0;
        Drive d = drive(VIN, t, t + 1000, 1);
        sessions().replaceSessions(VIN, t, t + 1000, List.of(d), List.of());
        store = reopen();
        assertThat(sessions().drive(VIN, t)).contains(d);
    }
}
