package io.github.lambdaimageprocessor.image.jpeg;

import java.util.Arrays;

/**
 * Baseline and extended sequential scans (Annex F.2.2): each block is Huffman-decoded, dequantised and immediately
 * inverse-transformed at the output scale into its component's sample plane, so no coefficients are kept. At reduced
 * scales the coefficients outside the top-left k x k are still read from the bitstream but skipped without being
 * stored or multiplied.
 */
final class SequentialDecoder extends ScanDecoder {

    private final int[][] quantTables;
    private final ScaledIdct idct = new ScaledIdct();
    private final int[] block = new int[64];
    /** For each zigzag index: whether the scaled IDCT reads that coefficient. */
    private final boolean[] kept = new boolean[64];

    SequentialDecoder(Frame frame, int k, int[][] quantTables) {
        super(frame, k);
        this.quantTables = quantTables;
        for (int z = 0; z < 64; z++) {
            int nat = NATURAL_ORDER[z];
            kept[z] = nat / 8 < k && nat % 8 < k;
        }
    }

    @Override
    void decodeBlock(Component c, int row, int col) {
        BitReader in = reader;
        int[] q = quantTables[c.quantTable];
        int t = in.decode(c.dcTable);
        if (t > 15) {
            in.corrupt = true;
            t = 0;
        }
        c.dcPredictor += in.receiveExtend(t);
        int[] b = block;
        b[0] = c.dcPredictor * q[0];
        HuffmanTable ac = c.acTable;
        boolean[] keep = kept;
        for (int z = 1; z < 64; z++) {
            if (in.bits < 16) {
                in.fill();
            }
            int look = (int) (in.buffer >>> (in.bits - HuffmanTable.LOOKAHEAD)) & ((1 << HuffmanTable.LOOKAHEAD) - 1);
            int fast = ac.fastAc[look];
            if (fast != 0) {
                // code and value in one lookup
                in.bits -= fast & 0xFF;
                z += (fast >> 8) & 0xFF;
                if (z > 63) {
                    break;
                }
                if (keep[z]) {
                    b[NATURAL_ORDER[z]] = (fast >> 16) * q[z];
                }
                continue;
            }
            int rs = in.decode(ac);
            int r = rs >> 4;
            int s = rs & 15;
            if (s != 0) {
                z += r;
                if (z > 63) {
                    break;
                }
                if (keep[z]) {
                    b[NATURAL_ORDER[z]] = in.receiveExtend(s) * q[z];
                }
                else {
                    in.readBits(s);
                }
            }
            else {
                if (r != 15) {
                    break; // end of block
                }
                z += 15; // sixteen zeros
            }
        }
        int kk = k;
        idct.transform(b, kk, c.plane, row * kk * c.planeStride + col * kk, c.planeStride);
        if (kk == 8) {
            Arrays.fill(b, 0);
        }
        else {
            for (int y = 0; y < kk; y++) {
                Arrays.fill(b, y * 8, y * 8 + kk, 0);
            }
        }
    }
}
