package io.github.lambdaimageprocessor.jpeg;

import java.awt.Graphics2D;
import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.WritableRaster;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pictures with alpha are drawn as the resizer draws the fallback's: ImageIO hands them back with alpha (grey and alpha
 * in {@code CS_GRAY}, ARGB for colour) and the resizer draws that on an opaque RGB image. Every level and alpha.
 */
class ColorConverterTest {

    @Test
    void drawsGreyAndAlphaAsJava2dDrawsImageIosGreyAndAlphaRaster() {
        // given the colour model ImageIO gives two-component pictures, every grey level (x) under every alpha (y)
        ComponentColorModel model = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_GRAY), true, false,
                Transparency.TRANSLUCENT, DataBuffer.TYPE_BYTE);
        WritableRaster raster = model.createCompatibleWritableRaster(256, 256);
        byte[][] rows = new byte[2][256];
        for (int x = 0; x < 256; x++) {
            rows[0][x] = (byte) x;
            for (int y = 0; y < 256; y++) {
                raster.setPixel(x, y, new int[] { x, y });
            }
        }
        BufferedImage drawn = onBlack(new BufferedImage(model, raster, false, null));

        int[] row = new int[256];
        for (int y = 0; y < 256; y++) {
            java.util.Arrays.fill(rows[1], (byte) y);
            ColorConverter.toRgbOverBlack(JpegColorSpace.GRAY, rows, row, 0, 256);
            for (int x = 0; x < 256; x++) {
                assertThat(row[x]).as("grey %d alpha %d", x, y).isEqualTo(drawn.getRGB(x, y) & 0xFFFFFF);
            }
        }
    }

    @Test
    void drawsColourAndAlphaAsJava2dDrawsAnArgbPicture() {
        // given every level of red (x) and alpha (y), with green and blue running other ways
        BufferedImage argb = new BufferedImage(256, 256, BufferedImage.TYPE_INT_ARGB);
        byte[][] rows = new byte[4][256];
        for (int x = 0; x < 256; x++) {
            rows[0][x] = (byte) x;
            rows[1][x] = (byte) (255 - x);
            rows[2][x] = (byte) (x * 7);
            for (int y = 0; y < 256; y++) {
                argb.setRGB(x, y, y << 24 | x << 16 | (255 - x) << 8 | (x * 7 & 0xFF));
            }
        }
        BufferedImage drawn = onBlack(argb);

        int[] row = new int[256];
        for (int y = 0; y < 256; y++) {
            java.util.Arrays.fill(rows[3], (byte) y);
            ColorConverter.toRgbOverBlack(JpegColorSpace.RGB, rows, row, 0, 256);
            for (int x = 0; x < 256; x++) {
                assertThat(row[x]).as("red %d alpha %d", x, y).isEqualTo(drawn.getRGB(x, y) & 0xFFFFFF);
            }
        }
    }

    @Test
    void drawsYcbcrAndAlphaAsYcbcrTimesAlpha() {
        // given a Y'CbCr of (200, 100, 50), (91, 255, 150) in RGB, at half alpha
        byte[][] rows = { { (byte) 200 }, { 100 }, { 50 }, { (byte) 128 } };
        int[] pixel = new int[1];

        ColorConverter.toRgbOverBlack(JpegColorSpace.YCBCR, rows, pixel, 0, 1);

        assertThat(pixel[0]).isEqualTo(46 << 16 | 128 << 8 | 75);
    }

    private static BufferedImage onBlack(BufferedImage image) {
        BufferedImage rgb = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = rgb.createGraphics();
        g.drawImage(image, 0, 0, null);
        g.dispose();
        return rgb;
    }
}
