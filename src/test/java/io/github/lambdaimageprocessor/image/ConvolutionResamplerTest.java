package io.github.lambdaimageprocessor.image;

import java.awt.image.BufferedImage;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

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
