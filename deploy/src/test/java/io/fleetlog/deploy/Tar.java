package io.fleetlog.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** A minimal reader of ustar/GNU tar streams (regular files and directories; enough for OCI images). */
final class Tar {
    /** One entry: name, mode, size and (for small files, up to {@code keepBytes}) its content. */
    record Entry(String name, int mode, long size, byte[] content) {}

    private Tar() {}

    /** Entries by name, in stream order; contents kept only up to {@code keepBytes} per entry. */
    static Map<String, Entry> read(InputStream in, long keepBytes) throws IOException {
        Map<String, Entry> entries = new LinkedHashMap<>();
        byte[] header = new byte[512];
        String longName = null;
        while (in.readNBytes(header, 0, 512) == 512) {
            if (header[0] == 0) {
                break; // end-of-archive block
            }
            String name = string(header, 0, 100);
            String prefix = string(header, 345, 155);
            if (!prefix.isEmpty() && header[257] == 'u') {
                name = prefix + "/" + name;
            }
            int mode = (int) octal(header, 100, 8);
            long size = octal(header, 124, 12);
            byte type = header[156];
            byte[] content = size <= keepBytes ? in.readNBytes((int) size) : null;
            if (content == null) {
                in.skipNBytes(size);
            }
            long pad = (512 - size % 512) % 512;
            in.skipNBytes(pad);
            if (type == 'L') { // GNU long name for the next entry
                longName = string(content, 0, content.length);
                continue;
            }
            if (type == 'x' || type == 'g') {
                continue; // PAX headers: not needed here
            }
            if (longName != null) {
                name = longName;
                longName = null;
            }
            entries.put(name, new Entry(name, mode, size, content));
        }
        return entries;
    }

    private static String string(byte[] b, int off, int len) {
        int end = off;
        while (end < off + len && b[end] != 0) {
            end++;
        }
        return new String(b, off, end - off, StandardCharsets.UTF_8);
    }

    private static long octal(byte[] b, int off, int len) {
        String s = string(b, off, len).trim();
        return s.isEmpty() ? 0 : Long.parseLong(s, 8);
    }
}
