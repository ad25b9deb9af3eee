package io.github.lambdaimageprocessor;

import java.io.ByteArrayOutputStream;

/**
 * Writes small JPEGs segment by segment for tests of the parser and of hostile input: valid syntax with chosen
 * frame sizes, scan scripts and entropy-coded data (all-zero DC differences, end-of-band runs over every block).
 */
public final class JpegBuilder {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    private JpegBuilder() {
        bytes(0xFF, 0xD8);
    }

    public static JpegBuilder jpeg() {
        return new JpegBuilder();
    }

    public JpegBuilder jfif() {
        return segment(0xE0, 'J', 'F', 'I', 'F', 0, 1, 1, 0, 0, 1, 0, 1, 0, 0);
    }

    /** An Adobe APP14 segment with the given colour transform (0 RGB/CMYK, 1 YCbCr, 2 YCCK). */
    public JpegBuilder adobe(int transform) {
        return segment(0xEE, 'A', 'd', 'o', 'b', 'e', 0, 100, 0, 0, 0, 0, transform);
    }

    /** An EXIF APP1 segment whose IFD0 holds just the orientation tag, or no entry when orientation is 0. */
    public JpegBuilder exif(int orientation) {
        if (orientation == 0) {
            return segment(0xE1, 'E', 'x', 'i', 'f', 0, 0, 'M', 'M', 0, 42, 0, 0, 0, 8, 0, 0, 0, 0, 0, 0);
        }
        return segment(0xE1, 'E', 'x', 'i', 'f', 0, 0, 'M', 'M', 0, 42, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0,
                1, 0, orientation, 0, 0, 0, 0, 0, 0);
    }

    /** Quantisation table 0, all 16. */
    public JpegBuilder dqt() {
        int[] body = new int[65];
        java.util.Arrays.fill(body, 1, 65, 16);
        return segment(0xDB, body);
    }

    /**
     * A frame header. Each component is {id, (h << 4) | v}; all use quantisation table 0.
     *
     * @param marker 0xC0 baseline, 0xC2 progressive
     */
    public JpegBuilder frame(int marker, int width, int height, int[]... components) {
        int[] body = new int[6 + 3 * components.length];
        body[0] = 8;
        body[1] = height >> 8;
        body[2] = height & 0xFF;
        body[3] = width >> 8;
        body[4] = width & 0xFF;
        body[5] = components.length;
        for (int i = 0; i < components.length; i++) {
            body[6 + 3 * i] = components[i][0];
            body[7 + 3 * i] = components[i][1];
        }
        return segment(marker, body);
    }

    /**
     * Huffman tables 0: a DC table with the one symbol 0 (a 1-bit code: DC difference 0), and an AC table of the
     * end-of-band runs EOB0..EOB14 (4-bit codes 0..14), which is all {@link #eobRuns} needs.
     */
    public JpegBuilder tables() {
        int[] dc = new int[18];
        dc[0] = 0x00;
        dc[1] = 1; // one code of length 1
        dc[17] = 0;
        int[] ac = new int[17 + 15];
        ac[0] = 0x10;
        ac[4] = 15; // fifteen codes of length 4
        for (int r = 0; r < 15; r++) {
            ac[17 + r] = r << 4;
        }
        segment(0xC4, dc);
        return segment(0xC4, ac);
    }

    /** A scan header over the given component ids, with tables 0/0. */
    public JpegBuilder scan(int ss, int se, int ah, int al, int... componentIds) {
        int[] body = new int[1 + 2 * componentIds.length + 3];
        body[0] = componentIds.length;
        for (int i = 0; i < componentIds.length; i++) {
            body[1 + 2 * i] = componentIds[i];
            body[2 + 2 * i] = 0x00;
        }
        body[body.length - 3] = ss;
        body[body.length - 2] = se;
        body[body.length - 1] = (ah << 4) | al;
        return segment(0xDA, body);
    }

    /**
     * Huffman tables 0 for {@link #blocks}, in place of {@link #tables}: a DC table of the difference categories 0..11 (4-bit codes 0..11), and an
     * AC table of end-of-block (code 0000) and of one coefficient of size 6 right after the DC (run 0; code 0001).
     */
    public JpegBuilder sequentialTables() {
        int[] dc = new int[17 + 12];
        dc[0] = 0x00;
        dc[4] = 12;
        for (int s = 0; s < 12; s++) {
            dc[17 + s] = s;
        }
        segment(0xC4, dc);
        return segment(0xC4, 0x10, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x00, 0x06);
    }

    /**
     * Entropy-coded data of a sequential scan of one component, with {@link #sequentialTables}: {@code blocks} blocks
     * whose DC coefficient is {@code dc} and whose first AC coefficient is {@code ac} (32..63 or -63..-32, or 0
     * for none).
     */
    public JpegBuilder blocks(long blocks, int dc, int ac) {
        BitWriter bits = new BitWriter(out);
        int previous = 0;
        for (long i = 0; i < blocks; i++) {
            writeDifference(bits, dc - previous);
            previous = dc;
            if (ac != 0) {
                bits.write(1, 4);
                bits.write(ac > 0 ? ac : ac + 63, 6);
            }
            bits.write(0, 4);
        }
        bits.flush();
        return this;
    }

    private static void writeDifference(BitWriter bits, int value) {
        int size = 32 - Integer.numberOfLeadingZeros(Math.abs(value));
        bits.write(size, 4);
        bits.write(value >= 0 ? value : value + (1 << size) - 1, size);
    }

    public JpegBuilder restartInterval(int mcus) {
        return segment(0xDD, mcus >> 8, mcus & 0xFF);
    }

    /** Entropy-coded data of a DC first scan where every block's difference is 0: one 0 bit per block. */
    public JpegBuilder dcZeros(long blocks) {
        BitWriter bits = new BitWriter(out);
        for (long i = 0; i < blocks; i++) {
            bits.write(0, 1);
        }
        bits.flush();
        return this;
    }

    /** Entropy-coded data of an AC first scan that ends every one of {@code blocks} blocks with EOB runs. */
    public JpegBuilder eobRuns(long blocks) {
        BitWriter bits = new BitWriter(out);
        long left = blocks;
        while (left > 0) {
            int run = (int) Math.min(left, 32767);
            int r = 31 - Integer.numberOfLeadingZeros(run);
            bits.write(r, 4);
            bits.write(run - (1 << r), r);
            left -= run;
        }
        bits.flush();
        return this;
    }

    public JpegBuilder raw(int... values) {
        return bytes(values);
    }

    public JpegBuilder segment(int marker, int... body) {
        bytes(0xFF, marker, (body.length + 2) >> 8, (body.length + 2) & 0xFF);
        return bytes(body);
    }

    public int size() {
        return out.size();
    }

    public byte[] end() {
        bytes(0xFF, 0xD9);
        return out.toByteArray();
    }

    /** The bytes so far, without EOI (a file cut short). */
    public byte[] cut() {
        return out.toByteArray();
    }

    private JpegBuilder bytes(int... values) {
        for (int v : values) {
            out.write(v);
        }
        return this;
    }

    /** MSB-first bits with 0xFF byte stuffing; the last byte is padded with 1 bits (T.81 F.1.2.3). */
    private static final class BitWriter {

        private final ByteArrayOutputStream out;

        private int buffer;

        private int count;

        BitWriter(ByteArrayOutputStream out) {
            this.out = out;
        }

        void write(int value, int n) {
            for (int i = n - 1; i >= 0; i--) {
                buffer = (buffer << 1) | ((value >> i) & 1);
                if (++count == 8) {
                    emit();
                }
            }
        }

        void flush() {
            while (count != 0) {
                write(1, 1);
            }
        }

        private void emit() {
            out.write(buffer);
            if (buffer == 0xFF) {
                out.write(0);
            }
            buffer = 0;
            count = 0;
        }
    }
}
