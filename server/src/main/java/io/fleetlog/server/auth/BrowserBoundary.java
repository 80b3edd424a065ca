package io.fleetlog.server.auth;

import io.javalin.http.Context;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a browser-borne attack needs, refused before any credential is looked at (docs/security.md):
 * a {@code Host} not on the allowlist (DNS rebinding), a foreign {@code Origin} or {@code
 * Sec-Fetch-Site: cross-site} (cross-site requests), and the security headers every answer carries.
 * Immutable, thread-safe.
 */
final class BrowserBoundary {
    // img-src: OpenStreetMap's tile server is the dashboard's default basemap (docs/dashboard.md); tiles
    // from another host need a path on this origin (a reverse proxy) or an entry here
    static final String CSP_BASE = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline';"
            + " img-src 'self' data: blob: https://tile.openstreetmap.org; object-src 'none'; base-uri 'none';"
            + " form-action 'self';"
            + " frame-ancestors 'none'";
    private static final Set<String> LOOPBACK_NAMES = Set.of("localhost", "127.0.0.1", "[::1]");
    private static final Pattern HOST_HEADER =
            Pattern.compile("([a-z0-9.-]{1,253}|\\[[0-9a-f:.]{2,45}\\])(?::(\\d{1,5}))?");
    private final Set<String> allowedHosts;
    private final boolean anyHost;

    /**
     * @param bind the server's bind address (allowed as a Host unless it is a wildcard)
     * @param extraHosts {@code --allowed-host} values: {@code name}, {@code name:port} or {@code *}
     */
    BrowserBoundary(String bind, List<String> extraHosts) {
        Set<String> hosts = new LinkedHashSet<>(LOOPBACK_NAMES);
        if (!bind.equals("0.0.0.0") && !bind.equals("::") && !bind.equals("[::]")) {
            hosts.add(bind.contains(":") && !bind.startsWith("[") ? "[" + bind + "]" : bind.toLowerCase(Locale.ROOT));
        }
        hosts.addAll(extraHosts);
        this.anyHost = hosts.remove("*");
        this.allowedHosts = Set.copyOf(hosts);
    }

    String checkHost(Context ctx) throws Refused {
        String host = ctx.header("Host");
        if (host == null || host.isBlank()) {
            throw new Refused(400, "a Host header is required");
        }
        String h = host.strip().toLowerCase(Locale.ROOT);
        Matcher m = HOST_HEADER.matcher(h);
        if (!m.matches()) {
            throw new Refused(400, "Host header '" + shorten(host) + "' is malformed");
        }
        if (anyHost || allowedHosts.contains(m.group(1)) || allowedHosts.contains(h)) {
            return h;
        }
        throw new Refused(
                403,
                "host '" + shorten(host) + "' is not allowed (allowed: " + String.join(", ", allowedHosts)
                        + "; add one with --allowed-host)");
    }

    /**
     * A present Origin must be this server's own origin (same host and port as the Host header);
     * {@code null} origins and {@code Sec-Fetch-Site: cross-site} are refused. An absent Origin is a
     * non-browser client (curl, scripts) or a same-origin GET.
     */
    void checkOrigin(Context ctx, boolean websocket) throws Refused {
        String site = ctx.header("Sec-Fetch-Site");
        if (site != null && site.equalsIgnoreCase("cross-site")) {
            throw new Refused(403, "cross-site request refused (Sec-Fetch-Site: cross-site)");
        }
        String origin = ctx.header("Origin");
        if (origin == null) {
            return;
        }
        String host =
                ctx.header("Host") == null ? "" : ctx.header("Host").strip().toLowerCase(Locale.ROOT);
        try {
            URI u = new URI(origin.strip());
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
            String authority =
                    u.getRawAuthority() == null ? "" : u.getRawAuthority().toLowerCase(Locale.ROOT);
            boolean web = scheme.equals("http") || scheme.equals("https");
            if (web && u.getRawPath().isEmpty() && authority.equals(host)) {
                return;
            }
        } catch (java.net.URISyntaxException e) {
            // falls through to the refusal: a malformed Origin is foreign
        }
        throw new Refused(
                403,
                "origin '" + shorten(origin) + "' is not this server's (" + host + ")"
                        + (websocket
                                ? ": /live accepts only its own dashboard"
                                : ": cross-origin requests are refused"));
    }

    void headers(Context ctx, String host, boolean data) {
        String self = HOST_HEADER.matcher(host).matches() ? " ws://" + host + " wss://" + host : "";
        ctx.header("Content-Security-Policy", CSP_BASE + "; connect-src 'self'" + self);
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("X-Frame-Options", "DENY");
        ctx.header("Referrer-Policy", "no-referrer");
        ctx.header("Cross-Origin-Resource-Policy", "same-origin");
        ctx.header("Cross-Origin-Opener-Policy", "same-origin");
        if (data) {
            ctx.header("Cache-Control", "no-store");
        }
        if (ctx.req().isSecure()) {
            // Only over HTTPS (browsers ignore it on plain HTTP): this host is HTTPS-only for a year.
            ctx.header("Strict-Transport-Security", "max-age=31536000");
        }
    }

    static boolean isLoopback(String address) {
        if (address == null || address.isBlank()) {
            return false;
        }
        String a =
                address.startsWith("[") && address.endsWith("]") ? address.substring(1, address.length() - 1) : address;
        try {
            return InetAddress.getByName(a).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** A header value as shown in messages and logs: at most 100 characters, control characters as '?'. */
    static String shorten(String s) {
        String t = s.length() > 100 ? s.substring(0, 100) + "…" : s;
        return t.replaceAll("[\\p{Cntrl}\"\\\\]", "?");
    }
}
