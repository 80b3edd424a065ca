package io.fleetlog.server.store;

/**
 * The merge step of a store in the chunk layout, package-private for its tests and benchmarks: the
 * background {@link ChunkMerger} calls {@link #mergeSealed}{@code (false)}.
 */
interface ChunkedStore extends SampleStore {
    /**
     * Per vehicle, one transaction moving up to one step of sealed tail rows into chunks ({@code all}:
     * every tail row counts as sealed). Returns the rows moved; always 0 in the {@link StoreLayout#ROWS}
     * layout.
     *
     * @throws StoreException when a step fails (its transaction rolled back: nothing moved)
     */
    long mergeSealed(boolean all);

    /** Repeats {@link #mergeSealed}{@code (true)} until the tail is empty; returns the rows moved. */
    default long mergeAll() {
        long total = 0;
        for (long n; (n = mergeSealed(true)) > 0; ) {
            total += n;
        }
        return total;
    }

    /** Test hook: runs inside every merge transaction that moves rows, just before its commit. */
    void beforeMergeCommit(Runnable hook);
}
