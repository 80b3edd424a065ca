package io.fleetlog.chunk;

/** Bytes that are not a chunk of this catalogue and version; the message names what and the byte offset. */
public final class ChunkFormatException extends Exception {
    public ChunkFormatException(String message) {
        super(message);
    }
}
