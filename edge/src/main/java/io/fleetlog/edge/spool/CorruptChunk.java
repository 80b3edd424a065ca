package io.fleetlog.edge.spool;

/**
 * A spool chunk failed verification (see {@link ChunkTable}); the spool quarantines it and retries
 * the operation. Never leaves the spool package.
 */
final class CorruptChunk extends RuntimeException {
    private static final long serialVersionUID = 1L;

    final long firstSeq;
    final long lastSeq;
    final String problem;

    CorruptChunk(long firstSeq, long lastSeq, String problem) {
        super("chunk at seqs " + firstSeq + ".." + lastSeq + ": " + problem, null, false, false);
        this.firstSeq = firstSeq;
        this.lastSeq = lastSeq;
        this.problem = problem;
    }
}
