package io.fleetlog.logs;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12, smaller finding: {@code replay} of a binary file as Tessie said only "Input length = 1".
 * A CSV export that is not UTF-8 must fail naming the file, the line and the encoding.
 */
class EncodingErrorsTest {
    @TempDir
    Path dir;

    @Test
    void aBinaryFileGivenAsTessieFailsNamingFileLineAndEncoding() throws Exception {
        Path bin = dir.resolve("drive.png");
        Files.write(bin, new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', (byte) 0xff, (byte) 0xfe, 0});
        assertThatThrownBy(() -> LogSources.open(bin, "tessie", LogOptions.defaults()))
                .isInstanceOf(LogFileException.class)
                .hasMessageStartingWith("drive.png:1: not UTF-8 text")
                .hasMessageContaining("UTF-8")
                .hasMessageNotContaining("Input length");
    }

    @Test
    void aLatin1ByteOnALaterLineNamesThatLine() throws Exception {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(Files.readAllBytes(Path.of(EncodingErrorsTest.class
                .getResource("export/teslamate-positions.csv")
                .toURI())));
        b.write(
                "502,2023-06-01 08:00:01.123,52.52,13.40,0,2,16093.44,350.12,330.5,18.5,34,2,21,21,true,false,false,1,77,22.1,false,false,,81,81,352.3,2.9,2.9,2.9,M\u00fcnchen\n"
                        .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        Path csv = dir.resolve("positions.csv");
        Files.write(csv, b.toByteArray());
        // TeslaMate files are scanned for their cars on open: the scan stops at the bad line
        assertThatThrownBy(() -> LogSources.open(csv, "teslamate", LogOptions.defaults()))
                .isInstanceOf(LogFileException.class)
                .hasMessageStartingWith("positions.csv:7: not UTF-8 text");
    }
}
