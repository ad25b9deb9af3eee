package io.github.lambdaimageprocessor.thumbnail;

import java.awt.image.BufferedImage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.within;

class ConvolutionResamplerTest {

    @Test
    void keepsAFlatColourExactly() {
        BufferedImage flat = filled(1000, 700, 0x3C7FD2);

        BufferedImage out = ConvolutionResampler.resize(flat, 256, 179);

        assertThat(out.getWidth()).isEqualTo(256);
        assertThat(out.getHeight()).isEqualTo(179);
        for (int y = 0; y < out.getHeight(); y++) {
            for (int x = 0; x < out.getWidth(); x++) {
                assertThat(out.getRGB(x, y) & 0xFFFFFF).isEqualTo(0x3C7FD2);
            }
        }
    }

    @Test
    void averagesAFinePatternInsteadOfAliasingIt() {
        // one-pixel black and white stripes: any correct low-pass gives mid-grey at a 4x reduction, point
        // sampling gives black or white
        BufferedImage stripes = new BufferedImage(1024, 64, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 64; y++) {
            for (int x = 0; x < 1024; x++) {
                stripes.setRGB(x, y, x % 2 == 0 ? 0xFFFFFF : 0);
            }
        }

        BufferedImage out = ConvolutionResampler.resize(stripes, 256, 16);

        for (int x = 2; x < 254; x++) {
            assertThat(out.getRGB(x, 8) & 0xFF).isBetween(120, 135);
        }
    }

    @Test
    void acceptsOtherImageTypes() {
        BufferedImage gray = new BufferedImage(300, 200, BufferedImage.TYPE_BYTE_GRAY);

        assertThat(ConvolutionResampler.resize(gray, 30, 20).getType()).isEqualTo(BufferedImage.TYPE_INT_RGB);
    }

    @Test
    void mapsThePictureOverItsExtentNotOverThePartialLastPixel() {
        // a 6531 px wide JPEG decoded at 1/8: 817 columns, the picture spans 816.375 of them. A one-pixel line at
        // column 800 must land at (800.5 / 816.375) of the thumbnail's width, not at (800.5 / 817): 0.19 px apart.
        // (on mid-grey, so that the kernel's negative lobes are not clipped at black and bias the centroid)
        BufferedImage decoded = filled(817, 8, 0x646464);
        for (int y = 0; y < 8; y++) {
            decoded.setRGB(800, y, 0xFFFFFF);
        }

        double exact = centroid(ConvolutionResampler.resize(decoded, 816.375, 8, 256, 2));
        double stretched = centroid(ConvolutionResampler.resize(decoded, 256, 2));

        assertThat(exact).isCloseTo(800.5 * 256 / 816.375, within(0.05));
        assertThat(stretched).isCloseTo(800.5 * 256 / 817, within(0.05));
    }

    @Test
    void refusesAnExtentThatDoesNotEndInTheLastPixel() {
        BufferedImage image = filled(100, 100, 0);

        assertThatIllegalArgumentException().isThrownBy(() -> ConvolutionResampler.resize(image, 98.5, 100, 10, 10));
        assertThatIllegalArgumentException().isThrownBy(() -> ConvolutionResampler.resize(image, 100, 100.5, 10, 10));
    }

    /** Mean x (pixel centres at x + 0.5) of the first row, weighted by the level above the 0x64 background. */
    private static double centroid(BufferedImage image) {
        double sum = 0;
        double weighted = 0;
        for (int x = 0; x < image.getWidth(); x++) {
            int level = (image.getRGB(x, 0) & 0xFF) - 0x64;
            sum += level;
            weighted += level * (x + 0.5);
        }
        return weighted / sum;
    }

    @ParameterizedTest
    @CsvSource({
        // shrinking both ways, the thumbnail's case
        "517, 301, 520, 516.4, 300.2, 131, 77",
        // a tall kernel window over few rows, and a plane one row high
        "300, 40, 300, 300, 39.5, 20, 3",
        "64, 1, 64, 64, 1, 16, 1",
        // growing vertically while shrinking horizontally (subsampled chroma of a small picture), and growing both ways
        "200, 30, 208, 199.5, 30, 50, 90",
        "13, 7, 16, 13, 6.5, 40, 29" })
    void resamplesPlanesAndRgbImagesExactlyAsThePlainLoopsDo(int width, int height, int stride, double extentWidth,
            double extentHeight, int outWidth, int outHeight) {
        // the vectorised loops (rows widened once into a ring, the horizontal pass down columns) must make the sums the
        // plain loops make, sample by sample, on both paths; the plane sits in a wider stride, as decoded planes do
        java.util.Random random = new java.util.Random(16);
        BufferedImage rgb = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        byte[][] planes = new byte[3][stride * height];
        int[][] channels = new int[3][width * height];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int p = random.nextInt(1 << 24);
                rgb.setRGB(x, y, p);
                for (int c = 0; c < 3; c++) {
                    planes[c][y * stride + x] = (byte) (p >> (16 - 8 * c));
                    channels[c][y * width + x] = p >> (16 - 8 * c) & 0xFF;
                }
            }
        }

        BufferedImage resized = ConvolutionResampler.resize(rgb, extentWidth, extentHeight, outWidth, outHeight);

        for (int c = 0; c < 3; c++) {
            int[] expected = plainConvolution(channels[c], width, height, extentWidth, extentHeight, outWidth,
                    outHeight);
            byte[] plane = ConvolutionResampler.resample(planes[c], stride, width, height, extentWidth, extentHeight,
                    outWidth, outHeight);
            assertThat(plane).hasSize(outWidth * outHeight);
            for (int i = 0; i < plane.length; i++) {
                assertThat(plane[i] & 0xFF).as("plane %d, sample %d", c, i).isEqualTo(expected[i]);
                assertThat(resized.getRGB(i % outWidth, i / outWidth) >> (16 - 8 * c) & 0xFF)
                    .as("channel %d, sample %d", c, i).isEqualTo(expected[i]);
            }
        }
    }

    /** The convolution as plainly as it can be written: each output row from the source rows at each tap. */
    private static int[] plainConvolution(int[] source, int sw, int sh, double extentWidth, double extentHeight,
            int width, int height) {
        ConvolutionResampler.Kernel horizontal = ConvolutionResampler.Kernel.of(sw, extentWidth, width);
        ConvolutionResampler.Kernel vertical = ConvolutionResampler.Kernel.of(sh, extentHeight, height);
        int[] out = new int[width * height];
        int[] row = new int[sw];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < sw; x++) {
                int sum = 1 << (ConvolutionResampler.V_SHIFT - 1);
                for (int i = 0; i < vertical.count()[y]; i++) {
                    sum += source[(vertical.start()[y] + i) * sw + x] * vertical.weights()[vertical.offset()[y] + i];
                }
                row[x] = Math.clamp(sum >> ConvolutionResampler.V_SHIFT, 0, 255 << 8);
            }
            for (int x = 0; x < width; x++) {
                int sum = 1 << (ConvolutionResampler.H_SHIFT - 1);
                for (int i = 0; i < horizontal.count()[x]; i++) {
                    sum += row[horizontal.start()[x] + i] * horizontal.weights()[horizontal.offset()[x] + i];
                }
                out[y * width + x] = Math.clamp(sum >> ConvolutionResampler.H_SHIFT, 0, 255);
            }
        }
        return out;
    }

    @Test
    void growsAPlaneWhoseExtentIsSmallerThanTheOutput() {
        // 4:1:1 chroma of a picture decoded at 1/2: a quarter of the columns, so that plane is enlarged; flat stays flat
        byte[] plane = new byte[40 * 30];
        java.util.Arrays.fill(plane, (byte) 77);

        byte[] out = ConvolutionResampler.resample(plane, 40, 40, 30, 39.5, 30, 100, 20);

        assertThat(out).hasSize(100 * 20).containsOnly((byte) 77);
    }

    @Test
    void growsAPlaneWithoutShiftingIt() {
        // a step from 50 to 150 in the middle of a 10-sample row, doubled: the step stays in the middle, so the two
        // halves mirror each other around 100 (Lanczos' ringing included: it stays clear of 0 and 255 here)
        byte[] plane = new byte[10 * 4];
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 10; x++) {
                plane[y * 10 + x] = (byte) (x < 5 ? 50 : 150);
            }
        }

        byte[] out = ConvolutionResampler.resample(plane, 10, 10, 4, 10, 4, 20, 4);

        for (int x = 0; x < 20; x++) {
            assertThat((out[20 + x] & 0xFF) + (out[20 + 19 - x] & 0xFF)).as("column " + x).isBetween(199, 201);
        }
        assertThat(out[20] & 0xFF).isEqualTo(50);
        assertThat(out[20 + 19] & 0xFF).isEqualTo(150);
        assertThat(out[20 + 9] & 0xFF).isLessThan(out[20 + 10] & 0xFF);
    }

    @Test
    void refusesAPlaneTheArrayCannotHold() {
        assertThatIllegalArgumentException()
            .isThrownBy(() -> ConvolutionResampler.resample(new byte[100], 10, 10, 11, 10, 11, 5, 5));
    }

    private static BufferedImage filled(int w, int h, int rgb) {
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                image.setRGB(x, y, rgb);
            }
        }
        return image;
    }
}
