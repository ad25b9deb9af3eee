package io.github.lambdaimageprocessor.jpeg;

import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;

/**
 * Converts rows of component samples to packed RGB ints, or four-component ones to inks. Y'CbCr uses the JFIF equations
 * with libjpeg's 16-bit fixed point tables ({@code jdcolor.c}):
 * {@code R = Y + 1.402 Cr', G = Y - 0.34414 Cb' - 0.71414 Cr', B = Y + 1.772 Cb'} with {@code Cb' = Cb - 128}.
 *
 * <p>Inks are C, M, Y, K interleaved, 0 for none and 255 for full. Adobe's CMYK files (APP14 transform 0) store them
 * inverted (255 - ink), and TwelveMonkeys inverts them back; Adobe's YCCK holds the inverted C, M, Y as Y'CbCr (the R,
 * G, B the equations give are the inks) beside the inverted K. Without a colour profile the inks are made RGB
 * by the uncalibrated formula {@code R = 255 - (C (255 - K) / 255 + K)}, the one TwelveMonkeys falls back to.
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

    /**
     * The sRGB level Java2D draws each level of a {@code CS_GRAY} sample as, asked of Java2D itself (its colour model
     * of grey and alpha, the one ImageIO's picture has) rather than computed here: the fallback's picture is drawn
     * through Java2D's table, whatever the JDK Lambda runs, so the fast decoder reads the same table. Made once, on
     * the first grey and alpha file.
     */
    private static final class LinearGrey {

        static final int[] TO_SRGB = new int[256];

        static {
            ComponentColorModel model = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_GRAY), true,
                    false, Transparency.TRANSLUCENT, DataBuffer.TYPE_BYTE);
            for (int i = 0; i < 256; i++) {
                TO_SRGB[i] = model.getRGB(new byte[] { (byte) i, (byte) 255 }) & 0xFF;
            }
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

    /** Packed RGB for {@link JpegColorSpace#GRAY}, {@link JpegColorSpace#RGB}, else Y'CbCr, or inks by formula. */
    static void toRgb(JpegColorSpace space, byte[][] rows, int[] out, int offset, int width) {
        switch (space) {
            case GRAY -> gray(rows[0], out, offset, width);
            case RGB -> rgb(rows[0], rows[1], rows[2], out, offset, width);
            case CMYK, YCCK -> {
                byte[] inks = new byte[4 * width];
                toInks(space, rows, inks, 0, width);
                inksToRgb(inks, out, offset, width);
            }
            default -> ycbcr(rows[0], rows[1], rows[2], out, offset, width);
        }
    }

    /**
     * Packed RGB of colour components followed by an alpha one ({@link JpegInfo#alphaOver}), drawn over black: the
     * fallback hands such pictures back with alpha, and the resizer draws them on an opaque black image, so each
     * level becomes {@code level * alpha / 255}, rounded as Java2D's blending rounds ({@code mul8table}). Grey is
     * taken as linear light and encoded as sRGB, as Java2D reads the grey-and-alpha raster ImageIO gives back (its
     * colour space is {@code CS_GRAY}): level 100 is drawn as 168.
     */
    static void toRgbOverBlack(JpegColorSpace colours, byte[][] rows, int[] out, int offset, int width) {
        switch (colours) {
            case GRAY -> {
                byte[] y = rows[0];
                for (int x = 0; x < width; x++) {
                    int v = LinearGrey.TO_SRGB[y[x] & 0xFF];
                    out[offset + x] = v << 16 | v << 8 | v;
                }
            }
            case RGB -> rgb(rows[0], rows[1], rows[2], out, offset, width);
            default -> ycbcr(rows[0], rows[1], rows[2], out, offset, width);
        }
        byte[] alpha = rows[rows.length - 1];
        for (int x = 0; x < width; x++) {
            int a = alpha[x] & 0xFF;
            if (a != 255) {
                int p = out[offset + x];
                out[offset + x] = blend(a, p >> 16 & 0xFF) << 16 | blend(a, p >> 8 & 0xFF) << 8 | blend(a, p & 0xFF);
            }
        }
    }

    /** Java2D's {@code mul8table[a][v]}: {@code a * v / 255} in 8.24 fixed point, rounded. */
    static int blend(int a, int v) {
        return (int) ((0x10101L * a * v + 0x800000) >>> 24);
    }

    /** The inks of a CMYK or YCCK row, C, M, Y, K interleaved from {@code 4 * offset} on. */
    static void toInks(JpegColorSpace space, byte[][] rows, byte[] out, int offset, int width) {
        byte[] c0 = rows[0];
        byte[] c1 = rows[1];
        byte[] c2 = rows[2];
        byte[] c3 = rows[3];
        int o = 4 * offset;
        if (space == JpegColorSpace.YCCK) {
            for (int x = 0; x < width; x++, o += 4) {
                int yy = c0[x] & 0xFF;
                int b = c1[x] & 0xFF;
                int r = c2[x] & 0xFF;
                out[o] = (byte) clamp(yy + CR_R[r]);
                out[o + 1] = (byte) clamp(yy + ((CB_G[b] + CR_G[r]) >> SCALE_BITS));
                out[o + 2] = (byte) clamp(yy + CB_B[b]);
                out[o + 3] = (byte) ~c3[x];
            }
        }
        else {
            for (int x = 0; x < width; x++, o += 4) {
                out[o] = (byte) ~c0[x];
                out[o + 1] = (byte) ~c1[x];
                out[o + 2] = (byte) ~c2[x];
                out[o + 3] = (byte) ~c3[x];
            }
        }
    }

    /** Inks to packed RGB by the uncalibrated formula. */
    static void inksToRgb(byte[] inks, int[] out, int offset, int width) {
        for (int x = 0, i = 0; x < width; x++, i += 4) {
            int k = inks[i + 3] & 0xFF;
            int white = 255 - k;
            int red = white - (inks[i] & 0xFF) * white / 255;
            int green = white - (inks[i + 1] & 0xFF) * white / 255;
            int blue = white - (inks[i + 2] & 0xFF) * white / 255;
            out[offset + x] = red << 16 | green << 8 | blue;
        }
    }

    private static int clamp(int v) {
        return v < 0 ? 0 : v > 255 ? 255 : v;
    }
}
