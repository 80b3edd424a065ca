package io.fleetlog.server.auth;

import java.util.List;

/**
 * HTTP access control (docs/security.md).
 *
 * @param users users and API tokens; none (and a loopback bind) = the open loopback mode, where
 *     loopback clients read and control without a credential
 * @param allowedHosts Host header values accepted besides the loopback names ({@code localhost},
 *     {@code 127.0.0.1}, {@code [::1]}) and the bind address: {@code name} (any port), {@code
 *     name:port}, or {@code *} (any host: only behind a proxy that checks it)
 * @param insecure allows a non-loopback bind without TLS or without users (warned at start and
 *     on /status); reads still need a credential there
 * @param tlsEnabled whether the HTTP listener speaks TLS; set by the TLS configuration
 */
public record HttpSecurity(Users users, List<String> allowedHosts, boolean insecure, boolean tlsEnabled) {
    private static final java.util.regex.Pattern HOST = java.util.regex.Pattern.compile(
            "\\*|([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*|\\[[0-9a-f:.]+\\])(:\\d{1,5})?");

    public HttpSecurity {
        users = users == null ? Users.none() : users;
        allowedHosts = allowedHosts == null
                ? List.of()
                : allowedHosts.stream()
                        .map(h -> h.strip().toLowerCase(java.util.Locale.ROOT))
                        .toList();
        for (String h : allowedHosts) {
            if (!HOST.matcher(h).matches()) {
                throw new IllegalArgumentException(
                        "allowed host '" + h + "' is not a host name or address, optionally with :port, or *");
            }
        }
    }

    /** No users (the open loopback mode), loopback names only, not insecure, no TLS. */
    public static HttpSecurity defaults() {
        return new HttpSecurity(Users.none(), List.of(), false, false);
    }

    public HttpSecurity withUsers(Users u) {
        return new HttpSecurity(u, allowedHosts, insecure, tlsEnabled);
    }

    public HttpSecurity withAllowedHosts(List<String> hosts) {
        return new HttpSecurity(users, hosts, insecure, tlsEnabled);
    }

    public HttpSecurity withInsecure(boolean i) {
        return new HttpSecurity(users, allowedHosts, i, tlsEnabled);
    }

    public HttpSecurity withTlsEnabled(boolean t) {
        return new HttpSecurity(users, allowedHosts, insecure, t);
    }
}
