package io.github.lambdaimageprocessor.thumbnail;

import java.io.ByteArrayOutputStream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class JpegHeaderTest {

    /** A DAC segment that libjpeg-turbo refuses: conditioning table index 40 does not exist. */
    private static final int[] BOGUS_DAC = { 0xFF, 0xCC, 0x00, 0x04, 40, 0x10 };

    /** A valid DAC segment: DC table 0, lower bound 0 <= upper bound 1. */
    private static final int[] VALID_DAC = { 0xFF, 0xCC, 0x00, 0x04, 0x00, 0x10 };

    @Test
    void findsTheSegmentAfterEntropyCodedDataOfAnyLengthAndAlignment() {
        // the entropy-coded data is skipped 8 bytes at a time: the marker after it must be found wherever it falls,
        // and stuffed bytes, restart markers and fill bytes inside it must not end it early
        for (int length = 0; length <= 40; length++) {
            for (int escapeAt = -1; escapeAt < length - 1; escapeAt++) {
                byte[] jpeg = jpegWithScan(entropyData(length, escapeAt), BOGUS_DAC);

                JpegHeader header = JpegHeader.read(jpeg);

                assertThat(header.bogusDac()).as("length %d, escape at %d", length, escapeAt).isTrue();
                assertThat(header.width()).isEqualTo(16);
            }
        }
    }

    @Test
    void aValidDacAfterTheScanIsNotBogus() {
        assertThat(JpegHeader.read(jpegWithScan(entropyData(37, 11), VALID_DAC)).bogusDac()).isFalse();
    }

    @Test
    void entropyCodedDataRunningToTheEndOfTheFileEndsTheWalk() {
        byte[] jpeg = jpegWithScan(entropyData(29, 5), new int[0]);

        JpegHeader header = JpegHeader.read(jpeg);

        assertThat(header.hasFrame()).isTrue();
        assertThat(header.firstScanOffset()).isPositive();
        assertThat(header.bogusDac()).isFalse();
    }

    /**
     * {@code length} bytes of entropy-coded data (no 0xFF) where, from {@code escapeAt} on (unless -1), two bytes are
     * an escape that does not end the data: a stuffed 0xFF00, an RST marker or a fill byte before one.
     */
    private static byte[] entropyData(int length, int escapeAt) {
        byte[] data = new byte[length];
        for (int i = 0; i < length; i++) {
            data[i] = (byte) (0x11 + i % 0xE0);
        }
        if (escapeAt >= 0) {
            int kind = escapeAt % 3;
            data[escapeAt] = (byte) 0xFF;
            data[escapeAt + 1] = (byte) (kind == 0 ? 0x00 : kind == 1 ? 0xD3 : 0xFF);
            if (kind == 2 && escapeAt + 2 < length) {
                data[escapeAt + 2] = (byte) 0xD5;
            }
        }
        return data;
    }

    private static byte[] jpegWithScan(byte[] entropyData, int[] after) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        write(out, 0xFF, 0xD8);
        // SOF0: 8-bit, 16x16, one component
        write(out, 0xFF, 0xC0, 0x00, 0x0B, 8, 0x00, 16, 0x00, 16, 1, 1, 0x11, 0);
        // SOS: one component, tables 0/0, spectral 0-63
        write(out, 0xFF, 0xDA, 0x00, 0x08, 1, 1, 0x00, 0, 63, 0);
        out.writeBytes(entropyData);
        write(out, after);
        write(out, 0xFF, 0xD9);
        return out.toByteArray();
    }

    private static void write(ByteArrayOutputStream out, int... bytes) {
        for (int b : bytes) {
            out.write(b);
        }
    }
}
