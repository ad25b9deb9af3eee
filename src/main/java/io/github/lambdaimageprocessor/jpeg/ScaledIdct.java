package io.github.lambdaimageprocessor.jpeg;

/**
 * Inverse DCT that reconstructs an 8x8 block at k x k pixels (k = 8, 4, 2 or 1), the idea of libjpeg's scaled IDCTs.
 *
 * <p>
 * The 8-point IDCT is {@code f(x) = sum_u C(u)/2 F(u) cos((2x+1) u pi / 16)}. Evaluated at the centres of pixel
 * pairs, {@code x = 2x' + 1/2}, the cosine becomes {@code cos((2x'+1) u pi / 8)}: the 4-point IDCT basis. So the 4x4
 * output is the 4-point IDCT of the top-left 4x4 coefficients (with the 8-point normalisation), and likewise 2x2 from
 * the top-left 2x2 and 1x1 from the DC alone ({@code DC / 8}, the block mean). Dropping the higher frequencies is an
 * ideal low-pass before the decimation, so the result is close to a box-filtered full decode, without aliasing.
 *
 * <p>
 * Fixed point: the basis is scaled by 2^13; the column pass keeps 2 extra fraction bits ({@code PASS1_BITS}), the row
 * pass removes the rest. Valid 8-bit data stays far from int overflow; corrupt data may wrap, which only yields wrong
 * (clamped) pixels.
 */
final class ScaledIdct {

    private static final int CONST_BITS = 13;
    private static final int PASS1_BITS = 2;
    private static final int PASS1_SHIFT = CONST_BITS - PASS1_BITS;
    private static final int PASS2_SHIFT = CONST_BITS + PASS1_BITS;

    /**
     * The 8-point basis, {@code BASIS[x * 8 + u] = 2^13 * C(u)/2 * cos((2x + 1) u pi / 16)}, C(0) = 1/sqrt 2, else 1.
     * The 4- and 2-point transforms have their own constants below.
     */
    private static final int[] BASIS = new int[64];

    static {
        for (int x = 0; x < 8; x++) {
            for (int u = 0; u < 8; u++) {
                double c = u == 0 ? Math.sqrt(0.5) : 1.0;
                BASIS[x * 8 + u] = (int) Math.round((1 << CONST_BITS) * c / 2
                        * Math.cos((2 * x + 1) * u * Math.PI / 16));
            }
        }
    }

    /**
     * The basis {@code m(x, u) = BASIS[x * 8 + u]} by its eight distinct magnitudes: {@code M0 = m(x, 0) =
     * +-m(x, 4)}, {@code M2, M6} the other even frequencies, {@code M1, M3, M5, M7} the odd ones. The full-scale
     * transform sums the same products as the plain matrix product, grouped by the basis' symmetries, which the rounded
     * basis keeps exactly (checked below): {@code m(7 - x, u) = (-1)^u m(x, u)}, so output x and 7 - x share the even
     * and the odd sums, and among the even frequencies {@code m(3 - x, 2u) = (-1)^u m(x, 2u)}. 24 multiplications per
     * row or column instead of 64; the same integer sums in another order, so the same samples.
     */
    private static final int M0 = BASIS[0];
    private static final int M1 = BASIS[1];
    private static final int M2 = BASIS[2];
    private static final int M3 = BASIS[3];
    private static final int M5 = BASIS[5];
    private static final int M6 = BASIS[6];
    private static final int M7 = BASIS[7];
    private static final int PASS1_ROUND = 1 << (PASS1_SHIFT - 1);
    private static final int PASS2_ROUND = 1 << (PASS2_SHIFT - 1);

    static {
        // the basis the full-scale transform assumes (rows 0-3 spelled out, rows 4-7 mirrored) against the rounded one
        int[][] assumed = { { M0, M1, M2, M3, M0, M5, M6, M7 }, { M0, M3, M6, -M7, -M0, -M1, -M2, -M5 },
                { M0, M5, -M6, -M1, -M0, M7, M2, M3 }, { M0, M7, -M2, -M5, M0, M3, -M6, -M1 } };
        for (int x = 0; x < 8; x++) {
            for (int u = 0; u < 8; u++) {
                int expected = x < 4 ? assumed[x][u] : ((u & 1) == 0 ? 1 : -1) * assumed[7 - x][u];
                if (BASIS[x * 8 + u] != expected) {
                    throw new IllegalStateException("the rounded 8-point basis lost a symmetry at " + x + ", " + u);
                }
            }
        }
    }

    private final int[] work = new int[64];

    /**
     * @param block dequantised coefficients in natural (row-major) order; only the top-left k x k are read
     * @param k output size of the block: 1, 2, 4 or 8
     * @param out samples are written to {@code out[offset + y * stride + x]}
     */
    void transform(int[] block, int k, byte[] out, int offset, int stride) {
        if (k == 1) {
            out[offset] = clamp(((block[0] + 4) >> 3) + 128);
            return;
        }
        if (k == 2) {
            transform2(block, out, offset, stride);
            return;
        }
        if (k == 4) {
            transform4(block, out, offset, stride);
            return;
        }
        int[] t = work;
        // pass 1: columns. t[y * 8 + u] = sum_v F(v, u) * m(y, v), with PASS1_BITS extra precision. The two passes
        // spell out the same sums: one method for both, handing its eight sums over in an array, made the full-scale
        // decode 3-7% slower; they share only the last step (columnOutputs, rowSamples)
        for (int u = 0; u < 8; u++) {
            int f0 = block[u];
            int f1 = block[8 + u];
            int f2 = block[16 + u];
            int f3 = block[24 + u];
            int f4 = block[32 + u];
            int f5 = block[40 + u];
            int f6 = block[48 + u];
            int f7 = block[56 + u];
            if ((f1 | f2 | f3 | f4 | f5 | f6 | f7) == 0) {
                int dc = (f0 * M0 + PASS1_ROUND) >> PASS1_SHIFT;
                for (int y = 0; y < 8; y++) {
                    t[y * 8 + u] = dc;
                }
                continue;
            }
            int ee0 = f0 * M0 + f4 * M0;
            int ee1 = f0 * M0 - f4 * M0;
            int eo0 = f2 * M2 + f6 * M6;
            int eo1 = f2 * M6 - f6 * M2;
            int e0 = ee0 + eo0;
            int e1 = ee1 + eo1;
            int e2 = ee1 - eo1;
            int e3 = ee0 - eo0;
            int o0 = f1 * M1 + f3 * M3 + f5 * M5 + f7 * M7;
            int o1 = f1 * M3 - f3 * M7 - f5 * M1 - f7 * M5;
            int o2 = f1 * M5 - f3 * M1 + f5 * M7 + f7 * M3;
            int o3 = f1 * M7 - f3 * M5 + f5 * M3 - f7 * M1;
            columnOutputs(t, u, e0, e1, e2, e3, o0, o1, o2, o3);
        }
        // pass 2: rows. out(y, x) = sum_u t(y, u) * m(x, u), plus the level shift of 128
        for (int y = 0; y < 8; y++) {
            int row = y * 8;
            int o = offset + y * stride;
            int f0 = t[row];
            int f1 = t[row + 1];
            int f2 = t[row + 2];
            int f3 = t[row + 3];
            int f4 = t[row + 4];
            int f5 = t[row + 5];
            int f6 = t[row + 6];
            int f7 = t[row + 7];
            if ((f1 | f2 | f3 | f4 | f5 | f6 | f7) == 0) {
                byte value = clamp(((f0 * M0 + PASS2_ROUND) >> PASS2_SHIFT) + 128);
                for (int x = 0; x < 8; x++) {
                    out[o + x] = value;
                }
                continue;
            }
            int ee0 = f0 * M0 + f4 * M0;
            int ee1 = f0 * M0 - f4 * M0;
            int eo0 = f2 * M2 + f6 * M6;
            int eo1 = f2 * M6 - f6 * M2;
            int e0 = ee0 + eo0;
            int e1 = ee1 + eo1;
            int e2 = ee1 - eo1;
            int e3 = ee0 - eo0;
            int o0 = f1 * M1 + f3 * M3 + f5 * M5 + f7 * M7;
            int o1 = f1 * M3 - f3 * M7 - f5 * M1 - f7 * M5;
            int o2 = f1 * M5 - f3 * M1 + f5 * M7 + f7 * M3;
            int o3 = f1 * M7 - f3 * M5 + f5 * M3 - f7 * M1;
            rowSamples(out, o, e0, e1, e2, e3, o0, o1, o2, o3);
        }
    }

    /**
     * Pass 1's outputs of column {@code u} from its even sums ({@code e}, outputs y and 7 - y share {@code e[y]}) and
     * odd sums ({@code o}, added for y, subtracted for 7 - y). Eight ints, not an array: handing the sums over in an
     * array made the full-scale decode 3-7% slower.
     */
    private static void columnOutputs(int[] t, int u, int e0, int e1, int e2, int e3, int o0, int o1, int o2, int o3) {
        t[u] = (e0 + o0 + PASS1_ROUND) >> PASS1_SHIFT;
        t[56 + u] = (e0 - o0 + PASS1_ROUND) >> PASS1_SHIFT;
        t[8 + u] = (e1 + o1 + PASS1_ROUND) >> PASS1_SHIFT;
        t[48 + u] = (e1 - o1 + PASS1_ROUND) >> PASS1_SHIFT;
        t[16 + u] = (e2 + o2 + PASS1_ROUND) >> PASS1_SHIFT;
        t[40 + u] = (e2 - o2 + PASS1_ROUND) >> PASS1_SHIFT;
        t[24 + u] = (e3 + o3 + PASS1_ROUND) >> PASS1_SHIFT;
        t[32 + u] = (e3 - o3 + PASS1_ROUND) >> PASS1_SHIFT;
    }

    /** Pass 2's eight samples of the row at {@code out[o]}, the same way, level-shifted by 128 and clamped. */
    private static void rowSamples(byte[] out, int o, int e0, int e1, int e2, int e3, int o0, int o1, int o2, int o3) {
        out[o] = clamp(((e0 + o0 + PASS2_ROUND) >> PASS2_SHIFT) + 128);
        out[o + 7] = clamp(((e0 - o0 + PASS2_ROUND) >> PASS2_SHIFT) + 128);
        out[o + 1] = clamp(((e1 + o1 + PASS2_ROUND) >> PASS2_SHIFT) + 128);
        out[o + 6] = clamp(((e1 - o1 + PASS2_ROUND) >> PASS2_SHIFT) + 128);
        out[o + 2] = clamp(((e2 + o2 + PASS2_ROUND) >> PASS2_SHIFT) + 128);
        out[o + 5] = clamp(((e2 - o2 + PASS2_ROUND) >> PASS2_SHIFT) + 128);
        out[o + 3] = clamp(((e3 + o3 + PASS2_ROUND) >> PASS2_SHIFT) + 128);
        out[o + 4] = clamp(((e3 - o3 + PASS2_ROUND) >> PASS2_SHIFT) + 128);
    }

    /**
     * Full scale for a block whose nonzero coefficients all lie in its top-left 4x4 (half the blocks of the photos of
     * 800-1000 px measured, which decode at full size): the sums of {@link #transform} with the products of the zero
     * coefficients left out, so the same samples, from 11 multiplications per row or column instead of 24 and four
     * column passes instead of eight. The sequential decoder knows the extent from where the block's end-of-block code
     * came, the progressive one checks the coefficients as it dequantises them.
     */
    void transformLowFrequencies(int[] block, byte[] out, int offset, int stride) {
        int[] t = work;
        for (int u = 0; u < 4; u++) {
            int f0 = block[u];
            int f1 = block[8 + u];
            int f2 = block[16 + u];
            int f3 = block[24 + u];
            int ee = f0 * M0;
            if ((f1 | f2 | f3) == 0) {
                int dc = (ee + PASS1_ROUND) >> PASS1_SHIFT;
                for (int y = 0; y < 8; y++) {
                    t[y * 8 + u] = dc;
                }
                continue;
            }
            int eo0 = f2 * M2;
            int eo1 = f2 * M6;
            int e0 = ee + eo0;
            int e1 = ee + eo1;
            int e2 = ee - eo1;
            int e3 = ee - eo0;
            int o0 = f1 * M1 + f3 * M3;
            int o1 = f1 * M3 - f3 * M7;
            int o2 = f1 * M5 - f3 * M1;
            int o3 = f1 * M7 - f3 * M5;
            columnOutputs(t, u, e0, e1, e2, e3, o0, o1, o2, o3);
        }
        // columns 4-7 of every row are zero: each row is a 4-coefficient row of the full transform
        for (int y = 0; y < 8; y++) {
            int row = y * 8;
            int o = offset + y * stride;
            int f0 = t[row];
            int f1 = t[row + 1];
            int f2 = t[row + 2];
            int f3 = t[row + 3];
            int ee = f0 * M0;
            if ((f1 | f2 | f3) == 0) {
                byte value = clamp(((ee + PASS2_ROUND) >> PASS2_SHIFT) + 128);
                for (int x = 0; x < 8; x++) {
                    out[o + x] = value;
                }
                continue;
            }
            int eo0 = f2 * M2;
            int eo1 = f2 * M6;
            int e0 = ee + eo0;
            int e1 = ee + eo1;
            int e2 = ee - eo1;
            int e3 = ee - eo0;
            int o0 = f1 * M1 + f3 * M3;
            int o1 = f1 * M3 - f3 * M7;
            int o2 = f1 * M5 - f3 * M1;
            int o3 = f1 * M7 - f3 * M5;
            rowSamples(out, o, e0, e1, e2, e3, o0, o1, o2, o3);
        }
    }

    /**
     * 2x2: the basis is {@code C(u)/2 cos((2x+1) u pi / 4)} = {@code +-1/(2 sqrt 2)} for every entry, so the output is
     * the 2x2 Hadamard transform of F00, F01, F10, F11 divided by 8.
     */
    private static void transform2(int[] f, byte[] out, int offset, int stride) {
        int a = f[0] + f[1];
        int b = f[0] - f[1];
        int c = f[8] + f[9];
        int d = f[8] - f[9];
        out[offset] = clamp(((a + c + 4) >> 3) + 128);
        out[offset + 1] = clamp(((b + d + 4) >> 3) + 128);
        out[offset + stride] = clamp(((a - c + 4) >> 3) + 128);
        out[offset + stride + 1] = clamp(((b - d + 4) >> 3) + 128);
    }

    // 4-point butterfly constants, 2^13 scaled: C(0)/2 = cos(pi/4)/2, cos(pi/8)/2, cos(3pi/8)/2
    private static final int H = 2896;
    private static final int C1 = 3784;
    private static final int C3 = 1567;

    /**
     * 4x4: the 4-point IDCT as even/odd butterflies ({@code e = H (F0 +- F2)}, {@code o = C1 F1 +- C3 F3}), 6
     * multiplications per row or column instead of 16.
     */
    private void transform4(int[] f, byte[] out, int offset, int stride) {
        int[] t = work;
        for (int u = 0; u < 4; u++) {
            int f0 = f[u];
            int f1 = f[8 + u];
            int f2 = f[16 + u];
            int f3 = f[24 + u];
            if ((f1 | f2 | f3) == 0) {
                int dc = (f0 * H + (1 << (PASS1_SHIFT - 1))) >> PASS1_SHIFT;
                t[u] = dc;
                t[4 + u] = dc;
                t[8 + u] = dc;
                t[12 + u] = dc;
                continue;
            }
            int e0 = (f0 + f2) * H;
            int e1 = (f0 - f2) * H;
            int o0 = f1 * C1 + f3 * C3;
            int o1 = f1 * C3 - f3 * C1;
            int round = 1 << (PASS1_SHIFT - 1);
            t[u] = (e0 + o0 + round) >> PASS1_SHIFT;
            t[12 + u] = (e0 - o0 + round) >> PASS1_SHIFT;
            t[4 + u] = (e1 + o1 + round) >> PASS1_SHIFT;
            t[8 + u] = (e1 - o1 + round) >> PASS1_SHIFT;
        }
        int round = (1 << (PASS2_SHIFT - 1)) + (128 << PASS2_SHIFT);
        for (int y = 0; y < 4; y++) {
            int r = y * 4;
            int e0 = (t[r] + t[r + 2]) * H;
            int e1 = (t[r] - t[r + 2]) * H;
            int o0 = t[r + 1] * C1 + t[r + 3] * C3;
            int o1 = t[r + 1] * C3 - t[r + 3] * C1;
            int o = offset + y * stride;
            out[o] = clamp((e0 + o0 + round) >> PASS2_SHIFT);
            out[o + 3] = clamp((e0 - o0 + round) >> PASS2_SHIFT);
            out[o + 1] = clamp((e1 + o1 + round) >> PASS2_SHIFT);
            out[o + 2] = clamp((e1 - o1 + round) >> PASS2_SHIFT);
        }
    }

    private static byte clamp(int v) {
        return (byte) (v < 0 ? 0 : v > 255 ? 255 : v);
    }
}
