package io.github.lambdaimageprocessor.thumbnail;

import io.github.lambdaimageprocessor.JpegBuilder;
import io.github.lambdaimageprocessor.jpeg.JpegDecoder;
import io.github.lambdaimageprocessor.jpeg.JpegInfo;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** How much coefficient memory libjpeg may reserve for a progressive file the fast decoder leaves to it. */
class CoefficientBudgetTest {

    private static JpegInfo progressiveCmyk(int side) {
        return JpegDecoder.readHeader(JpegBuilder.jpeg().adobe(2).dqt()
            .frame(0xC2, side, side, new int[] { 1, 0x11 }, new int[] { 2, 0x11 }, new int[] { 3, 0x11 },
                    new int[] { 4, 0x11 })
            .tables().scan(0, 0, 0, 0, 1, 2, 3, 4).end());
    }

    @ParameterizedTest(name = "{0}x{0} CMYK in {1} bytes: over the budget {2}")
    @CsvSource({
            // a flat product shot on white, progressive YCCK at q75 (ImageMagick): 122 MB in 416 KB
            "4000, 415931, false",
            // its DC scan only, every difference coded in one bit: 244 MB in 250 KB
            "5650, 250110, true",
            // an 8 MP image fits the floor whatever its size
            "2800, 1000, false",
            // past 256 MB nothing does
            "6000, 50000000, true" })
    void growsWithTheFileAboveAFloorUpToACap(int side, long bytes, boolean over) {
        assertThat(ImageIoDecoder.overCoefficientBudget(progressiveCmyk(side), bytes)).isEqualTo(over);
    }
}
