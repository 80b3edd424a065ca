package io.fleetlog.server.ingest;

import io.fleetlog.catalog.Catalogue;
import io.fleetlog.codec.WireException;
import io.fleetlog.codec.v2.WireV2;
import io.fleetlog.sample.Vin;
import io.fleetlog.wire.v2.Hello;

/**
 * Validates every string and list of a Hello before anything of it is logged, stored or compared
 * (issue 12 item 9). Messages quote remote values only through {@link LogSafe}.
 *
 * <table>
 *   <caption>Hello fields</caption>
 *   <tr><th>field</th><th>rule</th></tr>
 *   <tr><td>vin</td><td>17 characters of {@code [A-HJ-NPR-Z0-9]} with a valid check digit ({@link Vin})</td></tr>
 *   <tr><td>model, name</td><td>optional; at most {@value #MAX_TEXT_CHARS} printable characters (no control
 *       characters, no line or paragraph separators)</td></tr>
 *   <tr><td>token</td><td>at most {@value #MAX_TOKEN_CHARS} characters (empty when a client certificate authenticates)</td></tr>
 *   <tr><td>protocol_version</td><td>{@value WireV2#PROTOCOL_VERSION}</td></tr>
 *   <tr><td>catalogue_hash</td><td>64 lower-case hex digits (a SHA-256; whether the server holds it is
 *       checked after authentication)</td></tr>
 *   <tr><td>layout</td><td>at most {@link Catalogue#MAX_SIGNALS} ids (their order and range are checked
 *       against the catalogue by {@link WireV2#checkHello})</td></tr>
 * </table>
 */
final class HelloCheck {
    static final int MAX_TEXT_CHARS = 64;
    static final int MAX_TOKEN_CHARS = 512;

    private HelloCheck() {}

    static void check(Hello h) throws WireException {
        String vin = h.getVin();
        if (vin.length() != 17 || !vin.chars().allMatch(HelloCheck::vinChar)) {
            throw invalid("VIN " + quote(vin) + " is not 17 characters of A-H, J-N, P, R-Z, 0-9 (it has " + vin.length()
                    + ")");
        }
        if (h.getProtocolVersion() != WireV2.PROTOCOL_VERSION) {
            throw new WireException(
                    WireException.Kind.UNSUPPORTED_VERSION,
                    "protocol version " + h.getProtocolVersion() + " is not supported (this server speaks "
                            + WireV2.PROTOCOL_VERSION + ")");
        }
        try {
            Vin.check(vin); // the check digit; the VIN is safe to quote now
        } catch (IllegalArgumentException e) {
            throw invalid(e.getMessage());
        }
        text("model", h.getModel());
        text("name", h.getName());
        // Empty is allowed here: a vehicle certificate authenticates without a token, and an empty
        // token without one fails authentication like any wrong token.
        if (h.getToken().length() > MAX_TOKEN_CHARS) {
            throw invalid("token of " + h.getToken().length() + " characters exceeds " + MAX_TOKEN_CHARS);
        }
        String hash = h.getCatalogueHash();
        if (!hash.matches("[0-9a-f]{64}")) {
            throw invalid("catalogue hash " + quote(hash.length() > 80 ? hash.substring(0, 80) : hash)
                    + " is not 64 lower-case hex digits (a SHA-256)");
        }
        if (h.getLayoutCount() > Catalogue.MAX_SIGNALS) {
            throw invalid("layout of " + h.getLayoutCount() + " signals exceeds " + Catalogue.MAX_SIGNALS);
        }
    }

    /** A printable string of at most {@value #MAX_TEXT_CHARS} characters (empty allowed). */
    static boolean printable(String s, int max) {
        if (s.length() > max) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
                return false;
            }
        }
        return true;
    }

    private static void text(String what, String s) throws WireException {
        if (!printable(s, MAX_TEXT_CHARS)) {
            throw invalid(what + " " + quote(s) + " (" + s.length() + " characters) is not at most " + MAX_TEXT_CHARS
                    + " printable characters");
        }
    }

    private static boolean vinChar(int c) {
        return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z' && c != 'I' && c != 'O' && c != 'Q');
    }

    private static String quote(String s) {
        return "'" + LogSafe.of(s) + "'";
    }

    private static WireException invalid(String message) {
        return new WireException(WireException.Kind.INVALID, message);
    }
}
