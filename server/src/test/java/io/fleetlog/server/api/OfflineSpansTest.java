package io.fleetlog.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetlog.server.store.VehicleEvent;
import java.util.List;
import org.junit.jupiter.api.Test;

class OfflineSpansTest {
    private static VehicleEvent on(long t) {
        return new VehicleEvent("V", t, VehicleEvent.Kind.ONLINE, 0, 0, "");
    }

    private static VehicleEvent off(long t) {
        return new VehicleEvent("V", t, VehicleEvent.Kind.OFFLINE, 0, 0, "");
    }

    @Test
    void aVehicleThatNeverConnectedIsOfflineForTheWholeWindow() {
        assertThat(OfflineSpans.of(List.of(), 100, 200)).containsExactly(new long[] {100, 199});
    }

    @Test
    void theTimesBetweenAnOfflineAndTheNextOnlineAreOfflineClippedToTheWindow() {
        List<VehicleEvent> ev = List.of(on(50), off(120), on(150), off(300));
        assertThat(OfflineSpans.of(ev, 0, 400))
                .containsExactly(new long[] {0, 49}, new long[] {121, 149}, new long[] {301, 399});
        assertThat(OfflineSpans.of(ev, 100, 200)).containsExactly(new long[] {121, 149});
        assertThat(OfflineSpans.of(ev, 60, 110)).isEmpty();
    }

    @Test
    void overlappingLinksKeepTheVehicleOnlineUntilTheLastCloses() {
        // a reconnect opened before the old link's OFFLINE was written; gap and conflict events do not count
        List<VehicleEvent> ev = List.of(
                on(10), on(20), off(30), new VehicleEvent("V", 35, VehicleEvent.Kind.GAP, 1, 2, "hole"), off(40));
        assertThat(OfflineSpans.of(ev, 10, 100)).containsExactly(new long[] {41, 99});
        assertThat(OfflineSpans.of(List.of(on(10), off(20), off(25)), 0, 30))
                .containsExactly(new long[] {0, 9}, new long[] {21, 29});
    }
}
