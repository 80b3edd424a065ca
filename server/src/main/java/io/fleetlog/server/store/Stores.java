package io.fleetlog.server.store;

/** Opens a {@link SampleStore} for a JDBC URL: {@code jdbc:sqlite:PATH} or {@code jdbc:postgresql://…}. */
public final class Stores {
    private Stores() {}

    public static SampleStore open(String jdbcUrl) {
        if (jdbcUrl.startsWith("jdbc:sqlite:")) {
            return SqliteSampleStore.open(jdbcUrl);
        }
        if (jdbcUrl.startsWith("jdbc:postgresql:")) {
            return PostgresSampleStore.open(jdbcUrl);
        }
        throw new IllegalArgumentException(
                "db '" + redact(jdbcUrl) + "' is not supported (use jdbc:sqlite:PATH or jdbc:postgresql://HOST/DB)");
    }

    /** The URL without query parameters (which may hold a password), for logs and /status. */
    public static String redact(String jdbcUrl) {
        int q = jdbcUrl.indexOf('?');
        String base = q < 0 ? jdbcUrl : jdbcUrl.substring(0, q);
        return base.replaceAll("//[^/@]*@", "//");
    }
}
