package io.fleetlog.server.mqtt;

import io.fleetlog.catalog.Catalogue;
import io.fleetlog.frame.Frame;

/**
 * One vehicle as the publisher renders it: who it is, its newest values (every signal's newest
 * value since the server started, as the live feed has them) and its state.
 *
 * @param carId TeslaMate's {@code $car_id}: the store's number of the vehicle ({@code vehicles.id},
 *     the order vehicles were first stored; stable across restarts)
 * @param latest the newest value of every signal captured, or null when none arrived since start
 * @param seq the seq of the newest stored frame, -1 when none
 * @param state what the vehicle is doing as far as the server knows
 * @param sinceMs server time of the last change of {@code state} (TeslaMate's {@code since})
 */
record VehicleView(
        String vin,
        int carId,
        String name,
        String model,
        Catalogue catalogue,
        Frame latest,
        long seq,
        State state,
        long sinceMs) {

    /** Link state as fleetlog's {@code state} topic names it; anything but OFFLINE is available. */
    enum State {
        /** Connected, sending live frames. */
        ONLINE("online"),
        /** Connected, uploading what it buffered in a dead zone (values are catching up). */
        DRAINING("draining"),
        /** Link closed, or no frame stored for {@link MqttConfig#staleAfter()}: the values are stale. */
        OFFLINE("offline");

        final String topicValue;

        State(String topicValue) {
            this.topicValue = topicValue;
        }
    }

    boolean available() {
        return state != State.OFFLINE;
    }
}
