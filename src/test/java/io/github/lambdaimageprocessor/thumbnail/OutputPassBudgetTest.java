package io.github.lambdaimageprocessor.thumbnail;

import io.github.lambdaimageprocessor.HostileJpegs;
import io.github.lambdaimageprocessor.JpegBuilder;
import io.github.lambdaimageprocessor.jpeg.JpegDecoder;
import io.github.lambdaimageprocessor.jpeg.JpegInfo;
import io.github.lambdaimageprocessor.jpeg.ScanSummary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How many blocks the JDK's reader may render over the output passes of a progressive file the fast decoder leaves to
 * it (it renders every scan as a whole image).
 */
class OutputPassBudgetTest {

    private static final JpegInfo PROGRESSIVE = JpegDecoder.readHeader(JpegBuilder.jpeg().dqt()
        .frame(0xC2, 64, 64, new int[] { 1, 0x22 }, new int[] { 2, 0x11 }, new int[] { 3, 0x11 })
        .tables()
        .scan(0, 0, 0, 0, 1, 2, 3)
        .end());

    @ParameterizedTest(name = "{0} scans of {1} blocks in {2} bytes of data: over the budget {3}")
    @CsvSource({
            // a 10000x7500 4:2:0 photo as cjpeg -progressive writes it (10 scans, 5.7 MB): with
            // max-decoded-pixels=1000000 even 1/8 is over the budget, so the fallback takes it (PROCESSED in 5 s
            // before the cap, REJECTED as 'unsupported JPEG' with it)
            "10, 1758750, 5700000, false",
            // libjpeg's own script for four components: 18 scans, of an 8 MP CMYK image (2 MB)
            "18, 500000, 2000000, false",
            // anything small stays under the floor, whatever its data
            "10, 800000, 1000, false",
            // the restart-marker flood: 32 scans of a 16 MP four-component frame in 786 KB of real data
            "32, 1048576, 786500, true",
            // more scans than any encoder's script, however much data
            "40, 1000000, 50000000, true",
            // a libjpeg script's worth of scans bought with too little data
            "18, 2000000, 500000, true" })
    void followsTheDataAboveAFloorUpToAnEncodersScans(int scans, long blocks, long dataBytes, boolean over) {
        ScanSummary summary = new ScanSummary(scans, 2 * scans + 4, scans * blocks / 3, blocks, dataBytes,
                dataBytes + 1000, false, false);

        assertThat(ImageIoDecoder.overOutputPasses(PROGRESSIVE, summary)).isEqualTo(over);
    }

    @Test
    void theRestartFloodIsStillOverIt() {
        byte[] jpeg = HostileJpegs.restartFloodProgressive(-1, false);

        assertThat(ImageIoDecoder.overOutputPasses(JpegDecoder.readHeader(jpeg), JpegDecoder.readScans(jpeg)))
            .isTrue();
    }
}
