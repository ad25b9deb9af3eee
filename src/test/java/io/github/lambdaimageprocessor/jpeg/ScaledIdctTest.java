package io.github.lambdaimageprocessor.jpeg;

import java.util.Random;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class ScaledIdctTest {

    /**
     * The full-scale transform groups its products by the basis' symmetries; it must still produce exactly what the
     * plain matrix product of the documented basis produces, from dense, sparse, DC-only and out-of-range blocks alike.
     */
    @ParameterizedTest
    @ValueSource(ints = { 0, 1, 2, 3, 4 })
    void fullScaleTransformIsThePlainMatrixProductSampleBySample(int kind) {
        Random random = new Random(31 + kind);
        ScaledIdct idct = new ScaledIdct();
        for (int n = 0; n < 5_000; n++) {
            int[] block = new int[65];
            for (int i = 0; i < 64; i++) {
                block[i] = switch (kind) {
                    case 0 -> random.nextInt(2048) - 1024;
                    case 1 -> random.nextInt(8) == 0 ? random.nextInt(512) - 256 : 0;
                    case 2 -> i % 8 == 0 || i < 8 ? random.nextInt(4096) - 2048 : 0;
                    case 3 -> i == 0 ? random.nextInt(4096) - 2048 : 0;
                    default -> random.nextInt(1 << 20) - (1 << 19);
                };
            }
            byte[] expected = new byte[3 + 8 * 10];
            plainTransform(block, expected, 3, 10);
            byte[] actual = new byte[3 + 8 * 10];

            idct.transform(block.clone(), 8, actual, 3, 10);

            assertThat(actual).as("block %d of kind %d", n, kind).isEqualTo(expected);
        }
    }

    /**
     * Blocks with nothing outside their top-left 4x4 may take the shortened transform: it must give the samples of the
     * full one, for dense, sparse, DC-only, single-row and out-of-range corners alike.
     */
    @ParameterizedTest
    @ValueSource(ints = { 0, 1, 2, 3, 4 })
    void lowFrequencyTransformGivesTheFullTransformsSamples(int kind) {
        Random random = new Random(77 + kind);
        ScaledIdct idct = new ScaledIdct();
        for (int n = 0; n < 5_000; n++) {
            int[] block = new int[65];
            for (int y = 0; y < 4; y++) {
                for (int x = 0; x < 4; x++) {
                    int i = y * 8 + x;
                    block[i] = switch (kind) {
                        case 0 -> random.nextInt(2048) - 1024;
                        case 1 -> random.nextInt(4) == 0 ? random.nextInt(512) - 256 : 0;
                        case 2 -> y == 0 ? random.nextInt(4096) - 2048 : 0;
                        case 3 -> i == 0 ? random.nextInt(4096) - 2048 : 0;
                        default -> random.nextInt(1 << 20) - (1 << 19);
                    };
                }
            }
            byte[] expected = new byte[3 + 8 * 10];
            plainTransform(block, expected, 3, 10);
            byte[] actual = new byte[3 + 8 * 10];

            idct.transformLowFrequencies(block.clone(), actual, 3, 10);

            assertThat(actual).as("block %d of kind %d", n, kind).isEqualTo(expected);
        }
    }

    /** 2^13 * C(u)/2 * cos((2x + 1) u pi / 16) in two integer passes, the first keeping two more fraction bits. */
    private static void plainTransform(int[] block, byte[] out, int offset, int stride) {
        int[] m = new int[64];
        for (int x = 0; x < 8; x++) {
            for (int u = 0; u < 8; u++) {
                double c = u == 0 ? Math.sqrt(0.5) : 1.0;
                m[x * 8 + u] = (int) Math.round((1 << 13) * c / 2 * Math.cos((2 * x + 1) * u * Math.PI / 16));
            }
        }
        int[] t = new int[64];
        for (int u = 0; u < 8; u++) {
            for (int y = 0; y < 8; y++) {
                int sum = 0;
                for (int v = 0; v < 8; v++) {
                    sum += block[v * 8 + u] * m[y * 8 + v];
                }
                t[y * 8 + u] = (sum + (1 << 10)) >> 11;
            }
        }
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 8; x++) {
                int sum = 0;
                for (int u = 0; u < 8; u++) {
                    sum += t[y * 8 + u] * m[x * 8 + u];
                }
                out[offset + y * stride + x] = (byte) Math.clamp(((sum + (1 << 14)) >> 15) + 128, 0, 255);
            }
        }
    }
}
