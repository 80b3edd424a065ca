package io.fleetlog.server.auth;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Who makes an HTTP request, as established by {@link HttpGuard}: a user (password, then a session
 * cookie), an API token (Bearer), or the anonymous loopback client of the open mode (no users
 * configured, loopback bind and client).
 *
 * @param name user or token name ({@code loopback} for the open mode)
 * @param kind how the caller authenticated
 * @param scopes what it may do (see {@link Scope#implies})
 * @param vins the vehicles it may see; empty = every vehicle
 */
public record Principal(String name, Kind kind, Set<Scope> scopes, Set<String> vins) {
    /** How the caller authenticated. */
    public enum Kind {
        USER,
        TOKEN,
        LOOPBACK
    }

    /** The request attribute under which {@link HttpGuard} leaves the principal for handlers. */
    public static final String ATTRIBUTE = "fleetlog.principal";

    public Principal {
        scopes = Set.copyOf(scopes);
        vins = Set.copyOf(vins);
    }

    /** The anonymous loopback client of the open mode: read and control, every vehicle. */
    static Principal loopback() {
        return new Principal("loopback", Kind.LOOPBACK, Set.of(Scope.READ, Scope.CONTROL), Set.of());
    }

    /** Whether one of the scopes grants {@code wanted}. */
    public boolean has(Scope wanted) {
        return scopes.stream().anyMatch(s -> s.implies(wanted));
    }

    /** Whether this principal may see {@code vin}. */
    public boolean sees(String vin) {
        return vins.isEmpty() || vins.contains(vin);
    }

    /** Whether no vehicle restriction applies. */
    public boolean allVehicles() {
        return vins.isEmpty();
    }

    /** The vehicle list for JSON: null for every vehicle, else the sorted VINs. */
    public List<String> vinsOrNull() {
        return vins.isEmpty() ? null : List.copyOf(new TreeSet<>(vins));
    }
}
