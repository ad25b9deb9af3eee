package io.github.lambdaimageprocessor.jpeg;

/**
 * Converts rows of component samples to packed RGB ints. Y'CbCr uses the JFIF equations with libjpeg's 16-bit fixed
 * point tables ({@code jdcolor.c}):
 * {@code R = Y + 1.402 Cr', G = Y - 0.34414 Cb' - 0.71414 Cr', B = Y + 1.772 Cb'} with {@code Cb' = Cb - 128}.
 */
final class ColorConverter {

    private static final int SCALE_BITS = 16;
    private static final int ONE_HALF = 1 << (SCALE_BITS - 1);
    private static final int[] CR_R = new int[256];
    private static final int[] CB_B = new int[256];
    private static final int[] CR_G = new int[256];
    private static final int[] CB_G = new int[256];

    static {
        for (int i = 0; i < 256; i++) {
            int x = i - 128;
            CR_R[i] = (fix(1.40200) * x + ONE_HALF) >> SCALE_BITS;
            CB_B[i] = (fix(1.77200) * x + ONE_HALF) >> SCALE_BITS;
            CR_G[i] = -fix(0.71414) * x;
            CB_G[i] = -fix(0.34414) * x + ONE_HALF;
        }
    }

    private ColorConverter() {
    }

    private static int fix(double v) {
        return (int) (v * (1 << SCALE_BITS) + 0.5);
    }

    static void ycbcr(byte[] y, byte[] cb, byte[] cr, int[] out, int offset, int width) {
        for (int x = 0; x < width; x++) {
            int yy = y[x] & 0xFF;
            int b = cb[x] & 0xFF;
            int r = cr[x] & 0xFF;
            int red = clamp(yy + CR_R[r]);
            int green = clamp(yy + ((CB_G[b] + CR_G[r]) >> SCALE_BITS));
            int blue = clamp(yy + CB_B[b]);
            out[offset + x] = red << 16 | green << 8 | blue;
        }
    }

    static void rgb(byte[] r, byte[] g, byte[] b, int[] out, int offset, int width) {
        for (int x = 0; x < width; x++) {
            out[offset + x] = (r[x] & 0xFF) << 16 | (g[x] & 0xFF) << 8 | (b[x] & 0xFF);
        }
    }

    static void gray(byte[] y, int[] out, int offset, int width) {
        for (int x = 0; x < width; x++) {
            int v = y[x] & 0xFF;
            out[offset + x] = v << 16 | v << 8 | v;
        }
    }

    private static int clamp(int v) {
        return v < 0 ? 0 : v > 255 ? 255 : v;
    }
}
