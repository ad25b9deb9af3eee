package io.github.lambdaimageprocessor.jpeg;

import java.util.Arrays;

/**
 * Baseline and extended sequential scans (Annex F.2.2): each block is Huffman-decoded, dequantised and immediately
 * inverse-transformed at the output scale into its component's sample plane, so no coefficients are kept. At reduced
 * 1/8 only the DC coefficient is decoded: every AC symbol is skipped by its code and extra-bit length, two symbols per
 * lookup when they fit ({@link HuffmanTable#skipAc}), with no sign extension or dequantisation. At 1/4 and 1/2 the
 * coefficients outside the top-left k x k are decoded but written to a dummy slot (see {@link #lastKept}).
 */
final class SequentialDecoder extends ScanDecoder {

    private final int[][] quantTables;
    private final ScaledIdct idct = new ScaledIdct();
    /** The block in natural order, plus a dummy slot 64 where the coefficients the scale drops are written. */
    private final int[] block = new int[65];
    /** Zigzag index -> natural index when the scaled IDCT reads that coefficient, else 64 (the dummy slot). */
    private final int[] target = new int[64];
    /**
     * The zig-zag index after which every coefficient is skipped: 0 at 1/8 (only DC is kept), else 63 (no skipping).
     * At 1/4 and 1/2 the kept corner ends at index 4 and 24, but skipping after those measured no faster than the
     * single loop (slower on sparse files, where blocks end early and the second loop is pure overhead), so those
     * scales decode every coefficient and drop the unwanted ones into the dummy slot.
     */
    private final int lastKept;

    SequentialDecoder(Frame frame, int k, int[][] quantTables) {
        super(frame, k);
        this.quantTables = quantTables;
        for (int z = 0; z < 64; z++) {
            int nat = NATURAL_ORDER[z];
            target[z] = nat / 8 < k && nat % 8 < k ? nat : 64;
        }
        this.lastKept = k == 1 ? 0 : 63;
    }

    @Override
    void ensureRows(Component c, int blockRows) {
        c.planeRows(blockRows, k);
    }

    /**
     * The entropy decoding keeps the bit buffer in locals ({@code buf}, {@code bits}) and writes it back to the reader
     * only around refills and rare slow paths: field traffic on every symbol costs more than the decoding itself.
     * Every symbol plus its extra bits takes at most 27 bits, so one refill to 57 bits covers the next symbol.
     */
    @Override
    void decodeBlock(Component c, int row, int col) {
        BitReader in = reader;
        int[] q = quantTables[c.quantTable];
        long buf = in.buffer;
        int bits = in.bits;
        if (bits < 32) {
            in.fill();
            buf = in.buffer;
            bits = in.bits;
        }
        // DC: a category t, then t bits of difference
        HuffmanTable dc = c.dcTable;
        int entry = dc.fast[(int) (buf >>> (bits - HuffmanTable.LOOKAHEAD)) & ((1 << HuffmanTable.LOOKAHEAD) - 1)];
        int t;
        if (entry != 0) {
            bits -= entry >>> 8;
            t = entry & 0xFF;
        }
        else {
            in.bits = bits;
            t = in.decodeLong(dc);
            bits = in.bits;
        }
        if (t > 15) {
            in.corrupt = true;
            t = 0;
        }
        int diff = 0;
        if (t > 0) {
            int v = (int) (buf >>> (bits - t)) & ((1 << t) - 1);
            bits -= t;
            diff = v < (1 << (t - 1)) ? v - (1 << t) + 1 : v;
        }
        c.dcPredictor += diff;
        int[] b = block;
        b[0] = c.dcPredictor * q[0];
        HuffmanTable ac = c.acTable;
        int[] fastAc = ac.fastAc;
        int[] to = target;
        int last = lastKept;
        int z = 1;
        // the coefficients up to the last one the scale keeps: decoded, sign-extended and dequantised
        while (z <= last) {
            if (bits < 32) {
                in.bits = bits;
                in.fill();
                buf = in.buffer;
                bits = in.bits;
            }
            int look = (int) (buf >>> (bits - HuffmanTable.LOOKAHEAD)) & ((1 << HuffmanTable.LOOKAHEAD) - 1);
            int fast = fastAc[look];
            if (fast != 0) {
                // code and value in one lookup
                bits -= fast & 0xFF;
                if (fast >>> 8 == 0) {
                    z = 64; // EOB: run 0, value 0
                    break;
                }
                // a coefficient after `run` zeros, or ZRL (run 15, value 0: writing 0 on the 16th zero is harmless)
                z += (fast >> 8) & 0xFF;
                if (z > 63) {
                    break;
                }
                b[to[z]] = (fast >> 16) * q[z]; // branch-free: dropped coefficients land in the dummy slot
                z++;
                continue;
            }
            int rs = ac.fast[look];
            if (rs != 0) {
                bits -= rs >>> 8;
                rs &= 0xFF;
            }
            else {
                in.bits = bits;
                rs = in.decodeLong(ac);
                bits = in.bits;
            }
            int r = rs >> 4;
            int s = rs & 15;
            if (s != 0) {
                z += r;
                if (z > 63) {
                    break;
                }
                int v = (int) (buf >>> (bits - s)) & ((1 << s) - 1);
                bits -= s;
                b[to[z]] = (v < (1 << (s - 1)) ? v - (1 << s) + 1 : v) * q[z];
                z++;
            }
            else {
                if (r != 15) {
                    z = 64; // end of block
                    break;
                }
                z += 16; // sixteen zeros
            }
        }
        // the rest are dropped by the scale: only their lengths matter, up to two symbols per lookup
        int[] skipAc = ac.skipAc;
        while (z < 64) {
            if (bits < 32) {
                in.bits = bits;
                in.fill();
                buf = in.buffer;
                bits = in.bits;
            }
            int skip = skipAc[(int) (buf >>> (bits - HuffmanTable.LOOKAHEAD)) & ((1 << HuffmanTable.LOOKAHEAD) - 1)];
            if (skip != 0) {
                int first = skip >>> 24;
                if (z + first < 64) {
                    // the block goes on after the first symbol: take the pair (or the single symbol) of the entry
                    bits -= skip & 0xFF;
                    z += (skip >>> 8) & 0xFF;
                }
                else {
                    bits -= (skip >>> 16) & 0xFF;
                    z += first;
                }
                continue;
            }
            in.bits = bits;
            int rs = in.decodeLong(ac);
            bits = in.bits - (rs & 15);
            z += HuffmanTable.skipAdvance(rs);
        }
        in.bits = bits;
        int kk = k;
        if (kk == 1) {
            // DC only: the block mean, no transform needed; b[0] is overwritten by the next block
            int v = ((b[0] + 4) >> 3) + 128;
            c.plane[row * c.planeStride + col] = (byte) (v < 0 ? 0 : v > 255 ? 255 : v);
            return;
        }
        idct.transform(b, kk, c.plane, row * kk * c.planeStride + col * kk, c.planeStride);
        // clear what the next block may not overwrite (only the top-left k x k is ever written)
        if (kk == 8) {
            Arrays.fill(b, 0, 64, 0);
        }
        else if (kk == 2) {
            b[1] = 0;
            b[8] = 0;
            b[9] = 0;
        }
        else {
            for (int y = 0; y < kk; y++) {
                Arrays.fill(b, y * 8, y * 8 + kk, 0);
            }
        }
    }
}
