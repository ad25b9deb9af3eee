package io.github.lambdaimageprocessor.jpeg;

import java.util.Arrays;

/**
 * Baseline and extended sequential scans (Annex F.2.2): each block is Huffman-decoded, dequantised and immediately
 * inverse-transformed at the output scale into its component's sample plane, so no coefficients are kept. At reduced
 * scales only the coefficients the scaled transform reads are decoded (the DC alone at 1/8, up to zig-zag position 4 at
 * 1/4 and 24 at 1/2): every AC symbol after those is skipped by its code and extra-bit length, as many symbols per
 * lookup as a 12-bit prefix holds ({@link HuffmanTable#skipTable}), with no sign extension or dequantisation.
 */
final class SequentialDecoder extends ScanDecoder {

    private final int[][] quantTables;
    private final ScaledIdct idct = new ScaledIdct();
    /** The block in natural order, plus a dummy slot 64 where the coefficients the scale drops are written. */
    private final int[] block = new int[65];
    /** Zigzag index -> natural index when the scaled IDCT reads that coefficient, else 64 (the dummy slot). */
    private final int[] target = new int[64];
    /**
     * The zig-zag index after which every coefficient is skipped: 0 at 1/8 (only DC is kept), 4 at 1/4 and 24 at 1/2
     * (the last index of the top-left 2 x 2 and 4 x 4), 63 at full scale.
     */
    private final int lastKept;
    /**
     * Where the last block's end-of-block code came, as a zig-zag position (one past its last coded coefficient), or 64
     * when it ran to the end: at full scale a block that ended by position 10 has nothing outside its top-left 4x4.
     */
    private int endOfBlock;
    /** Zig-zag positions 0-9 all lie in the top-left 4x4 of the block; position 10 is the first outside it. */
    private static final int LOW_FREQUENCY_END = 10;

    SequentialDecoder(Frame frame, int k, int[][] quantTables) {
        super(frame, k);
        this.quantTables = quantTables;
        for (int z = 0; z < 64; z++) {
            int nat = NATURAL_ORDER[z];
            target[z] = nat / 8 < k && nat % 8 < k ? nat : 64;
        }
        this.lastKept = k == 1 ? 0 : k == 2 ? 4 : k == 4 ? 24 : 63;
    }

    @Override
    void ensureRows(Component c, int blockRows) {
        c.planeRows(blockRows, k);
    }

    /**
     * The entropy decoding keeps the bit buffer in locals ({@code buf}, {@code bits}) and writes it back to the reader
     * only around refills and rare slow paths: field traffic on every symbol costs more than the decoding itself. Every
     * symbol plus its extra bits takes at most 27 bits, so one refill to 57 bits covers the next symbol. DC, the kept
     * coefficients and the skipped ones are three methods, each with a loop of its own: in one method the loop that
     * runs for no coefficient at 1/8 and for most of them at full scale shared one JIT profile and slowed both.
     */
    @Override
    void decodeBlock(Component c, int row, int col) {
        int[] q = quantTables[c.quantTable];
        int dc = decodeDc(c);
        if (k == 1) {
            skipAc(c.acTable, 1);
            // DC only: the block mean, no transform needed
            int v = ((dc * q[0] + 4) >> 3) + 128;
            c.plane[row * c.planeStride + col] = (byte) (v < 0 ? 0 : v > 255 ? 255 : v);
            return;
        }
        int[] b = block;
        b[0] = dc * q[0];
        int z = decodeAc(c.acTable, q);
        if (z < 64) {
            skipAc(c.acTable, z);
        }
        int kk = k;
        if (kk == 8 && endOfBlock <= LOW_FREQUENCY_END) {
            idct.transformLowFrequencies(b, c.plane, row * 8 * c.planeStride + col * 8, c.planeStride);
        }
        else {
            idct.transform(b, kk, c.plane, row * kk * c.planeStride + col * kk, c.planeStride);
        }
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

    /** The DC coefficient of the next block (category t, then t bits of difference), quantised. */
    private int decodeDc(Component c) {
        BitReader in = reader;
        if (in.bits < 32) {
            in.fill();
        }
        long buf = in.buffer;
        int bits = in.bits;
        HuffmanTable dc = c.dcTable;
        int look = (int) (buf >>> (bits - HuffmanTable.LOOKAHEAD)) & ((1 << HuffmanTable.LOOKAHEAD) - 1);
        int fast = dc.fastDc[look];
        if (fast != 0) {
            // code and difference in one lookup
            in.bits = bits - (fast & 0xFF);
            c.dcPredictor += fast >> 8;
            return c.dcPredictor;
        }
        int entry = dc.fast[look];
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
        in.bits = bits;
        c.dcPredictor += diff;
        return c.dcPredictor;
    }

    /**
     * Decodes the AC coefficients up to zig-zag position {@link #lastKept} into {@link #block}, sign-extended and
     * dequantised; coefficients the scale drops land in its dummy slot. Returns the zig-zag position to go on from: 64
     * when the block ended.
     */
    private int decodeAc(HuffmanTable ac, int[] q) {
        BitReader in = reader;
        long buf = in.buffer;
        int bits = in.bits;
        int[] fastAc = ac.fastAc;
        int[] b = block;
        int[] to = target;
        int last = lastKept;
        int z = 1;
        endOfBlock = 64;
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
                    endOfBlock = z;
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
                    endOfBlock = z;
                    z = 64; // end of block
                    break;
                }
                z += 16; // sixteen zeros
            }
        }
        in.bits = bits;
        return z;
    }

    /** Skips the AC symbols from zig-zag position {@code z} to the end of the block by their lengths alone. */
    private void skipAc(HuffmanTable ac, int z) {
        BitReader in = reader;
        long buf = in.buffer;
        int bits = in.bits;
        int pos = in.pos;
        byte[] data = in.data;
        int limit = in.end - 8;
        int[] skip = ac.skipTable();
        while (z < 64) {
            if (bits < 32) {
                // refilled here, in locals, with as many whole bytes as the buffer takes (4-7) when the next eight
                // hold no 0xFF (no stuffing, no marker): 5% off the decode at 1/8 and 1/4, where this loop is most of
                // it, against BitReader.fill's four bytes and its field traffic; fill() takes the rest
                long w;
                long t;
                if (pos <= limit && (((t = ~(w = (long) BitReader.LONG_BE.get(data, pos))) - 0x0101010101010101L)
                        & ~t & 0x8080808080808080L) == 0) {
                    int s = ((63 - bits) >>> 3) << 3;
                    buf = (buf << s) | ((w >>> 1) >>> (63 - s));
                    bits += s;
                    pos += s >>> 3;
                }
                else {
                    in.bits = bits;
                    in.pos = pos;
                    in.buffer = buf;
                    in.fill();
                    buf = in.buffer;
                    bits = in.bits;
                    pos = in.pos;
                }
            }
            int entry = skip[(int) (buf >>> (bits - HuffmanTable.SKIP_LOOKAHEAD))
                    & ((1 << HuffmanTable.SKIP_LOOKAHEAD) - 1)];
            if (z + (entry >>> 16) < 64) {
                // every symbol of the entry belongs to this block
                bits -= entry & 0xFF;
                z += (entry >>> 8) & 0xFF;
                if (z >= 64) {
                    break;
                }
                // 20 bits at least are left, enough for a second lookup without the refill check (one data-dependent
                // branch less per two lookups: 3% off the decode at 1/8, 5% at 1/4)
                entry = skip[(int) (buf >>> (bits - HuffmanTable.SKIP_LOOKAHEAD))
                        & ((1 << HuffmanTable.SKIP_LOOKAHEAD) - 1)];
                if (z + (entry >>> 16) < 64) {
                    bits -= entry & 0xFF;
                    z += (entry >>> 8) & 0xFF;
                    continue;
                }
            }
            // a code longer than 11 bits, or a block that ends inside the entry without an EOB: one symbol, which
            // with its extra bits may take 27
            in.bits = bits;
            in.pos = pos;
            in.buffer = buf;
            if (bits < 32) {
                in.fill();
                buf = in.buffer;
                pos = in.pos;
            }
            int rs = in.decode(ac);
            bits = in.bits - (rs & 15);
            z += HuffmanTable.skipAdvance(rs);
        }
        in.bits = bits;
        in.pos = pos;
        in.buffer = buf;
    }
}
