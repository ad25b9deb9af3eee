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

    /** BASIS[k][x * k + u] = 2^13 * C(u)/2 * cos((2x + 1) u pi / 2k), C(0) = 1/sqrt 2, else 1. */
    private static final int[][] BASIS = new int[9][];

    static {
        for (int k : new int[] { 2, 4, 8 }) {
            int[] m = new int[k * k];
            for (int x = 0; x < k; x++) {
                for (int u = 0; u < k; u++) {
                    double c = u == 0 ? Math.sqrt(0.5) : 1.0;
                    m[x * k + u] = (int) Math.round((1 << CONST_BITS) * c / 2 * Math.cos((2 * x + 1) * u * Math.PI / (2 * k)));
                }
            }
            BASIS[k] = m;
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
        int[] m = BASIS[k];
        int[] t = work;
        // pass 1: columns. t[y * k + u] = sum_v F(v, u) * m(y, v), with PASS1_BITS extra precision
        for (int u = 0; u < k; u++) {
            boolean acZero = true;
            for (int v = 1; v < k; v++) {
                if (block[v * 8 + u] != 0) {
                    acZero = false;
                    break;
                }
            }
            if (acZero) {
                int dc = (block[u] * m[0] + (1 << (PASS1_SHIFT - 1))) >> PASS1_SHIFT;
                for (int y = 0; y < k; y++) {
                    t[y * k + u] = dc;
                }
                continue;
            }
            for (int y = 0; y < k; y++) {
                int sum = 0;
                int row = y * k;
                for (int v = 0; v < k; v++) {
                    sum += block[v * 8 + u] * m[row + v];
                }
                t[y * k + u] = (sum + (1 << (PASS1_SHIFT - 1))) >> PASS1_SHIFT;
            }
        }
        // pass 2: rows. out(y, x) = sum_u t(y, u) * m(x, u), plus the level shift of 128
        for (int y = 0; y < k; y++) {
            int row = y * k;
            int o = offset + y * stride;
            boolean acZero = true;
            for (int u = 1; u < k; u++) {
                if (t[row + u] != 0) {
                    acZero = false;
                    break;
                }
            }
            if (acZero) {
                byte value = clamp(((t[row] * m[0] + (1 << (PASS2_SHIFT - 1))) >> PASS2_SHIFT) + 128);
                for (int x = 0; x < k; x++) {
                    out[o + x] = value;
                }
                continue;
            }
            for (int x = 0; x < k; x++) {
                int sum = 0;
                int mx = x * k;
                for (int u = 0; u < k; u++) {
                    sum += t[row + u] * m[mx + u];
                }
                out[o + x] = clamp(((sum + (1 << (PASS2_SHIFT - 1))) >> PASS2_SHIFT) + 128);
            }
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
