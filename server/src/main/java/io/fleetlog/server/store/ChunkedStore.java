package io.fleetlog.server.store;

/**
 * The merge step of a store in the chunk layout, package-private for its tests and benchmarks: the
 * background {@link ChunkMerger} calls {@link #mergeSealed}{@code (false)}.
 */
interface ChunkedStore extends SampleStore {
    /**
     * Per vehicle, one transaction moving up to one step of sealed tail rows into chunks or, with no
     * such rows left, compacting the small chunks of sealed windows ({@code all}: every row and window
     * counts as sealed). Returns the frames moved or re-encoded (1 when a step visited windows that
     * needed no rewrite and more are left); always 0 in the {@link StoreLayout#ROWS} layout.
     *
     * @throws StoreException when a step fails (its transaction rolled back: nothing moved)
     */
    long mergeSealed(boolean all);

    /**
     * Repeats {@link #mergeSealed}{@code (true)} until the tail is empty and every window compacted;
     * returns the frames moved or re-encoded.
     */
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
