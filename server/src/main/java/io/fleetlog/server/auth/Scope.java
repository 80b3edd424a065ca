package io.fleetlog.server.auth;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * What a user or API token may do over HTTP. Scopes are ordered: {@link #ADMIN} implies {@link
 * #CONTROL}, which implies {@link #READ} (see {@link #implies}).
 *
 * <ul>
 *   <li>{@code read}: vehicle data — /api/vehicles…, /live, /status, /metrics, exports;
 *   <li>{@code control}: state-changing requests (today the demo control API, e.g. {@code POST
 *       /api/demo/stop});
 *   <li>{@code admin}: reserved for managing users over HTTP (users are managed with the CLI today).
 * </ul>
 */
public enum Scope {
    READ,
    CONTROL,
    ADMIN;

    /** The name in the users file and on the command line: {@code read}, {@code control}, {@code admin}. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether holding this scope grants {@code other}. */
    public boolean implies(Scope other) {
        return ordinal() >= other.ordinal();
    }

    /**
     * Parses a comma-separated list such as {@code read,control}.
     *
     * @throws IllegalArgumentException naming the unknown scope, or when the list is empty
     */
    public static Set<Scope> parseList(String list) {
        EnumSet<Scope> out = EnumSet.noneOf(Scope.class);
        for (String part : list.split(",", -1)) {
            String k = part.strip().toLowerCase(Locale.ROOT);
            if (k.isEmpty()) {
                continue;
            }
            try {
                out.add(Scope.valueOf(k.toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("scope '" + part.strip() + "' is not read, control or admin");
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("scope list '" + list + "' is empty: give read, control or admin");
        }
        return out;
    }

    /** The list as written in the users file: {@code read,control}. */
    public static String format(Set<Scope> scopes) {
        return String.join(",", scopes.stream().sorted().map(Scope::key).toList());
    }
}
