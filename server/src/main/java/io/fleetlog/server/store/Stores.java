package io.fleetlog.server.store;

/** Opens a {@link SampleStore} for a JDBC URL: {@code jdbc:sqlite:PATH} or {@code jdbc:postgresql://…}. */
public final class Stores {
    private Stores() {}

    /** Opens the store in the {@link StoreLayout#DEFAULT} layout. */
    public static SampleStore open(String jdbcUrl) {
        return open(jdbcUrl, StoreLayout.DEFAULT);
    }

    /** Opens the store in {@code layout} (with {@link StoreLayout#CHUNKS}, its merger thread runs). */
    public static SampleStore open(String jdbcUrl, StoreLayout layout) {
        if (jdbcUrl.startsWith("jdbc:sqlite:")) {
            return SqliteSampleStore.open(jdbcUrl, layout, true);
        }
        if (jdbcUrl.startsWith("jdbc:postgresql:")) {
            return PostgresSampleStore.open(jdbcUrl, layout, true);
        }
        throw new IllegalArgumentException(
                "db '" + redact(jdbcUrl) + "' is not supported (use jdbc:sqlite:PATH or jdbc:postgresql://HOST/DB)");
    }

    /**
     * Merges the whole tail of a store in the chunk layout into chunks now, sealed or not (a flush
     * before measuring or archiving; the background merger leaves the newest minutes as rows).
     * Returns the rows moved; 0 for a store without chunks.
     *
     * @throws StoreException when a merge step fails (it rolled back: nothing moved)
     */
    public static long compactAll(SampleStore store) {
        return store instanceof ChunkedStore c ? c.mergeAll() : 0;
    }

    /** The URL without query parameters (which may hold a password), for logs and /status. */
    public static String redact(String jdbcUrl) {
        int q = jdbcUrl.indexOf('?');
        String base = q < 0 ? jdbcUrl : jdbcUrl.substring(0, q);
        return base.replaceAll("//[^/@]*@", "//");
    }
}
