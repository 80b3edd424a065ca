package io.fleetlog.ft;

import java.nio.charset.StandardCharsets;

/**
 * Which vehicle a Fleet Telemetry record belongs to. The VIN comes from the verified client
 * certificate (the leaf's subject CN with '.' replaced by '-', {@link #vinFromCommonName}); what a
 * message says about its sender ({@code senderId} {@code vehicle_device.<VIN>} or a bare
 * {@code <VIN>}, a payload's {@code vin}) is only compared with it ({@link #checkSender},
 * {@link #checkPayloadVin}) and a mismatch is refused, never stored under the claimed VIN.
 */
public final class FtIdentity {

    /** Longest sender id / VIN text accepted, in bytes. */
    public static final int MAX_ID_BYTES = 128;

    private FtIdentity() {}

    /** The device id of a certificate's subject common name: '.' replaced by '-', as the reference does. */
    public static String vinFromCommonName(String commonName) {
        return commonName.replace('.', '-');
    }

    /**
     * The VIN a {@code senderId} names: the part after the first '.' ({@code vehicle_device.<VIN>}), or
     * the whole id when it has no '.'.
     *
     * @throws FtIdentityException for an empty, too long or non-printable-ASCII id
     */
    public static String vinFromSenderId(byte[] senderId) throws FtIdentityException {
        if (senderId.length == 0) {
            throw new FtIdentityException("senderId is empty");
        }
        if (senderId.length > MAX_ID_BYTES) {
            throw new FtIdentityException("senderId of " + senderId.length + " bytes is longer than " + MAX_ID_BYTES);
        }
        for (byte c : senderId) {
            if (c < 0x21 || c > 0x7E) {
                throw new FtIdentityException(
                        "senderId " + FtEnvelope.printable(senderId) + " has a byte that is not printable ASCII");
            }
        }
        String s = new String(senderId, StandardCharsets.US_ASCII);
        int dot = s.indexOf('.');
        String vin = dot < 0 ? s : s.substring(dot + 1);
        if (vin.isEmpty()) {
            throw new FtIdentityException("senderId '" + s + "' names no VIN after its '.'");
        }
        return vin;
    }

    /**
     * Checks that a record's {@code senderId} names the certificate's VIN.
     *
     * @return the certificate's VIN
     * @throws FtIdentityException naming both when they differ
     */
    public static String checkSender(String certificateVin, byte[] senderId) throws FtIdentityException {
        String claimed = vinFromSenderId(senderId);
        if (!claimed.equals(certificateVin)) {
            throw new FtIdentityException("senderId " + FtEnvelope.printable(senderId) + " names VIN '" + claimed
                    + "', but the client certificate is for '" + certificateVin + "'");
        }
        return certificateVin;
    }

    /**
     * Checks a payload's {@code vin} (empty is allowed: a payload may not carry one).
     *
     * @throws FtIdentityException when it is set and differs from the certificate's VIN
     */
    public static void checkPayloadVin(String certificateVin, String payloadVin) throws FtIdentityException {
        if (!payloadVin.isEmpty() && !payloadVin.equals(certificateVin)) {
            String shown = payloadVin.length() > 64 ? payloadVin.substring(0, 64) + "…" : payloadVin;
            throw new FtIdentityException(
                    "payload vin '" + shown + "' differs from the client certificate's '" + certificateVin + "'");
        }
    }

    /** A record whose claimed sender is not the certificate's vehicle. */
    public static final class FtIdentityException extends Exception {
        private static final long serialVersionUID = 1L;

        public FtIdentityException(String message) {
            super(message);
        }
    }
}
