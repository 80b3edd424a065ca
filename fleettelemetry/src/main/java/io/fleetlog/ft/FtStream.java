package io.fleetlog.ft;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The fields of a {@code FlatbuffersStream} table (the union value of an envelope with message_type
 * {@value FtEnvelope#TYPE_STREAM}). Absent vectors are empty arrays, absent scalars 0.
 *
 * @param createdAt slot 0, uint32, epoch seconds
 * @param senderId slot 1, e.g. {@code vehicle_device.<VIN>}
 * @param payload slot 2, protobuf bytes (for topic {@code V} a vehicle-data {@code Payload})
 * @param deviceType slot 3
 * @param deviceId slot 4
 * @param deliveredAtEpochMs slot 5, uint64 (kept as the signed long of the same bits)
 */
public record FtStream(
        long createdAt, byte[] senderId, byte[] payload, byte[] deviceType, byte[] deviceId, long deliveredAtEpochMs) {

    public FtStream {
        senderId = senderId == null ? new byte[0] : senderId;
        payload = payload == null ? new byte[0] : payload;
        deviceType = deviceType == null ? new byte[0] : deviceType;
        deviceId = deviceId == null ? new byte[0] : deviceId;
        if (createdAt < 0 || createdAt > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("createdAt " + createdAt + " is not a uint32");
        }
    }

    /** The sender id as text (UTF-8, malformed bytes replaced). */
    public String senderIdText() {
        return new String(senderId, StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FtStream s
                && createdAt == s.createdAt
                && deliveredAtEpochMs == s.deliveredAtEpochMs
                && Arrays.equals(senderId, s.senderId)
                && Arrays.equals(payload, s.payload)
                && Arrays.equals(deviceType, s.deviceType)
                && Arrays.equals(deviceId, s.deviceId);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(createdAt) * 31 + Arrays.hashCode(payload);
    }

    @Override
    public String toString() {
        return "FtStream[createdAt=" + createdAt + ", senderId=" + FtEnvelope.printable(senderId) + ", payload="
                + payload.length + " bytes, deviceType=" + FtEnvelope.printable(deviceType) + ", deviceId="
                + FtEnvelope.printable(deviceId) + ", deliveredAtEpochMs=" + deliveredAtEpochMs + "]";
    }
}
