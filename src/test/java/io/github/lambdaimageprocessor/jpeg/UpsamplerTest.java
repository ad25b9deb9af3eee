package io.github.lambdaimageprocessor.jpeg;

import java.util.Random;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class UpsamplerTest {

    /**
     * Every output sample is the linear interpolation, in 8-bit fixed point, between the two source samples around its
     * centre, edges repeating the last valid sample: checked against that formula written out per sample, for the
     * factors JPEG files use, even and odd output sizes, and a plane wider than its valid samples (MCU padding).
     */
    @ParameterizedTest
    @CsvSource({ "2, 2, 37, 19, 40", "2, 2, 38, 19, 40", "2, 1, 9, 5, 8", "1, 2, 11, 11, 16", "1, 1, 7, 7, 8",
        "3, 1, 20, 7, 24", "4, 2, 29, 8, 32", "2, 2, 1, 1, 8", "2, 2, 2, 1, 8", "2, 2, 41, 19, 48" })
    void interpolatesBetweenSampleCentresAsTheFormulaSays(int fx, int fy, int outWidth, int validWidth, int stride) {
        Random random = new Random(fx * 31 + fy * 7 + outWidth);
        int validHeight = 6;
        byte[] plane = new byte[stride * (validHeight + 2)];
        random.nextBytes(plane);
        Upsampler upsampler = new Upsampler(plane, stride, validWidth, validHeight, fx, fy, outWidth);

        for (int y = 0; y < validHeight * fy; y++) {
            byte[] row = new byte[outWidth];
            upsampler.row(y, row);
            for (int x = 0; x < outWidth; x++) {
                assertThat(row[x] & 0xFF).as("(%d, %d)", x, y)
                    .isEqualTo(expected(plane, stride, validWidth, validHeight, fx, fy, x, y));
            }
        }
    }

    private static int expected(byte[] plane, int stride, int validWidth, int validHeight, int fx, int fy, int x,
            int y) {
        int[] tx = taps(x, fx, validWidth);
        int[] ty = taps(y, fy, validHeight);
        int top = (plane[ty[0] * stride + tx[0]] & 0xFF) * (256 - tx[2])
                + (plane[ty[0] * stride + tx[1]] & 0xFF) * tx[2];
        int bottom = (plane[ty[1] * stride + tx[0]] & 0xFF) * (256 - tx[2])
                + (plane[ty[1] * stride + tx[1]] & 0xFF) * tx[2];
        if (fx == 1) {
            // one pass: the vertical weights alone, rounded once
            int a = plane[ty[0] * stride + x] & 0xFF;
            int b = plane[ty[1] * stride + x] & 0xFF;
            return ty[2] == 0 ? a : (a * (256 - ty[2]) + b * ty[2] + 128) >> 8;
        }
        return (top * (256 - ty[2]) + bottom * ty[2] + 32768) >> 16;
    }

    /** Output centre o + 1/2 sits at (o + 1/2) / f - 1/2 in source coordinates: the samples around it, the weight. */
    private static int[] taps(int o, int f, int valid) {
        int pos = ((2 * o + 1) * 256) / (2 * f) - 128;
        int s0 = Math.floorDiv(pos, 256);
        return new int[] { Math.clamp(s0, 0, valid - 1), Math.clamp(s0 + 1, 0, valid - 1), pos - s0 * 256 };
    }
}
