package io.github.lambdaimageprocessor.jpeg;

import java.nio.ByteBuffer;
import java.time.Duration;

import io.github.lambdaimageprocessor.HostileJpegs;
import io.github.lambdaimageprocessor.JpegBuilder;
import io.github.lambdaimageprocessor.TestImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.params.ParameterizedTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** The one parser: the header rules both decoders share, the T.81 checks, and the limits against hostile files. */
class JpegParserTest {

    private static final int[] Y = { 1, 0x11 };

    private final JpegDecoder decoder = new JpegDecoder();

    /** A grey 16x16 baseline file whose one scan holds four all-zero blocks, plus the segments given before SOF. */
    private static JpegBuilder grey(int width, int height) {
        return JpegBuilder.jpeg().dqt().frame(0xC0, width, height, Y).tables();
    }

    @Test
    void theLastAdobeSegmentDecidesTheColourTransformLikeLibjpeg() throws Exception {
        byte[] jpeg = JpegBuilder.jpeg().adobe(1).adobe(0).dqt()
            .frame(0xC0, 8, 8, new int[] { 1, 0x11 }, new int[] { 2, 0x11 }, new int[] { 3, 0x11 })
            .tables().scan(0, 63, 0, 0, 1, 2, 3).raw(0x00, 0x00).end();

        assertThat(JpegDecoder.readHeader(jpeg).adobeTransform()).isZero();
        assertThat(JpegDecoder.readHeader(jpeg).colorSpace()).isEqualTo(JpegColorSpace.RGB);
        assertThat(decoder.readInfo(jpeg).colorSpace()).isEqualTo(JpegColorSpace.RGB);
    }

    @ParameterizedTest(name = "Adobe transform {0}: {1}")
    @CsvSource({ "-1, CMYK", "0, CMYK", "1, YCCK", "2, YCCK", "7, YCCK" })
    void fourComponentsAreCmykUnderTransform0AndYcckUnderAnyOtherLikeLibjpeg(int transform, JpegColorSpace expected) {
        JpegBuilder jpeg = JpegBuilder.jpeg();
        if (transform >= 0) {
            jpeg.adobe(transform);
        }
        byte[] bytes = jpeg.dqt()
            .frame(0xC0, 8, 8, new int[] { 1, 0x11 }, new int[] { 2, 0x11 }, new int[] { 3, 0x11 },
                    new int[] { 4, 0x11 })
            .tables().scan(0, 63, 0, 0, 1, 2, 3, 4).raw(0x00, 0x00).end();

        assertThat(JpegDecoder.readHeader(bytes).colorSpace()).isEqualTo(expected);
    }

    @Test
    void anIccProfileThatCouldCostFarMoreToApplyThanItsSizeIsTreatedAsBroken() {
        byte[] multiProcessElements = HostileJpegs.iccMultiProcessElements(10);
        ByteBuffer manyTags = ByteBuffer.allocate(132 + 101 * 12).putInt(132 + 101 * 12);
        manyTags.putInt(128, 101);
        byte[] tooManyTags = HostileJpegs.withIccProfile(
                TestImages.bytes(TestImages.CAMERA_PHOTO),
                manyTags.array());

        assertThat(JpegDecoder.readHeader(multiProcessElements).iccBroken()).isTrue();
        assertThat(JpegDecoder.readHeader(tooManyTags).iccBroken()).isTrue();
    }

    @Test
    void anIccProfileWhoseToneCurvesAreLongerThanAnyRealOnesIsTreatedAsBroken() {
        // lcms inverts a tabulated TRC by a linear search per point: 32767 entries cost 0.45 s of native CPU
        assertThat(JpegDecoder.readHeader(HostileJpegs.iccLongToneCurves(32_767, 1)).iccBroken()).isTrue();
        assertThat(JpegDecoder.readHeader(HostileJpegs.iccLongToneCurves(4097, 1)).iccBroken()).isTrue();
        // real profiles: 1024 entries (sRGB IEC61966-2.1), 4096 at most
        assertThat(JpegDecoder.readHeader(HostileJpegs.iccLongToneCurves(4096, 1)).iccBroken()).isFalse();
        assertThat(JpegDecoder.readHeader(HostileJpegs.iccLongToneCurves(1024, 1)).iccBroken()).isFalse();
    }

    @Test
    void anIccProfileDeclaringMoreBytesThanArrivedIsBrokenAndCanBeStripped() {
        // one chunk of a 128-byte profile whose header declares 0x636C0100 bytes (1.6 GB), as the fuzz finding's
        byte[] declaredHuge = iccChunk(1, 1, 0x63, 0x6C, 0x01, 0x00);
        byte[] declaredRight = iccChunk(1, 1, 0x00, 0x00, 0x00, 0x80);
        byte[] chunkMissing = iccChunk(1, 160, 0x00, 0x00, 0x00, 0x80);

        JpegInfo huge = JpegDecoder.readHeader(declaredHuge);
        assertThat(huge.iccPresent()).isTrue();
        assertThat(huge.iccBroken()).isTrue();
        assertThat(JpegDecoder.readHeader(chunkMissing).iccBroken()).isTrue();
        assertThat(JpegDecoder.readHeader(declaredRight).iccBroken()).isFalse();

        byte[] stripped = JpegDecoder.withoutIccProfile(declaredHuge);
        assertThat(stripped).hasSize(declaredHuge.length - (2 + 2 + 14 + 128));
        JpegInfo after = JpegDecoder.readHeader(stripped);
        assertThat(after.iccPresent()).isFalse();
        assertThat(after.firstScanOffset()).isEqualTo(huge.firstScanOffset() - (2 + 2 + 14 + 128));
        assertThat(JpegDecoder.markersBeforeFirstScan(stripped))
            .isEqualTo(JpegDecoder.markersBeforeFirstScan(declaredHuge).stream().filter(m -> m != 0xE2).toList());
        assertThat(JpegDecoder.withoutIccProfile(declaredRight)).isNotSameAs(declaredRight);
        byte[] none = grey(8, 8).scan(0, 63, 0, 0, 1).raw(0x00).end();
        assertThat(JpegDecoder.withoutIccProfile(none)).isSameAs(none);
    }

    private static byte[] iccChunk(int seq, int count, int... declaredSize) {
        int[] body = new int[12 + 2 + 128];
        String tag = "ICC_PROFILE\0";
        for (int i = 0; i < tag.length(); i++) {
            body[i] = tag.charAt(i);
        }
        body[12] = seq;
        body[13] = count;
        System.arraycopy(declaredSize, 0, body, 14, 4);
        return JpegBuilder.jpeg().segment(0xE2, body).dqt().frame(0xC0, 8, 8, Y).tables().scan(0, 63, 0, 0, 1)
            .raw(0x00).end();
    }

    @Test
    void theFirstExifSegmentCountsEvenWithoutAnOrientation() throws Exception {
        byte[] withoutFirst = JpegBuilder.jpeg().exif(0).exif(6).dqt().frame(0xC0, 8, 8, Y).tables()
            .scan(0, 63, 0, 0, 1).raw(0x00).end();
        byte[] withFirst = JpegBuilder.jpeg().exif(8).exif(6).dqt().frame(0xC0, 8, 8, Y).tables()
            .scan(0, 63, 0, 0, 1).raw(0x00).end();

        assertThat(JpegDecoder.readHeader(withoutFirst).exifOrientation()).isZero();
        assertThat(decoder.readInfo(withoutFirst).exifOrientation()).isZero();
        assertThat(JpegDecoder.readHeader(withFirst).exifOrientation()).isEqualTo(8);
    }

    @Test
    void aJfifSegmentShorterThanLibjpegReadsDoesNotCount() {
        byte[] shortJfif = JpegBuilder.jpeg().segment(0xE0, 'J', 'F', 'I', 'F', 0).dqt()
            .frame(0xC0, 8, 8, new int[] { 'R', 0x11 }, new int[] { 'G', 0x11 }, new int[] { 'B', 0x11 })
            .tables().scan(0, 63, 0, 0, 'R', 'G', 'B').raw(0x00).end();

        assertThat(JpegDecoder.readHeader(shortJfif).colorSpace()).isEqualTo(JpegColorSpace.RGB);
    }

    @Test
    void findsTheSegmentAfterEntropyCodedDataOfAnyLengthAndAlignment() {
        // the entropy-coded data is skipped 8 bytes at a time: the marker after it must be found wherever it falls,
        // and stuffed bytes, restart markers and fill bytes inside it must not end it early
        for (int length = 1; length <= 40; length++) {
            for (int escapeAt = -1; escapeAt < length - 1; escapeAt++) {
                byte[] entropy = entropyData(length, escapeAt);
                byte[] jpeg = grey(16, 16).scan(0, 63, 0, 0, 1).raw(toInts(entropy))
                    .segment(0xCC, 40, 0x10) // a DAC segment libjpeg-turbo refuses
                    .end();

                ScanSummary scans = JpegDecoder.readScans(jpeg);

                assertThat(scans.bogusDac()).as("length %d, escape at %d", length, escapeAt).isTrue();
                assertThat(scans.entropyBytes()).as("length %d, escape at %d", length, escapeAt)
                    .isEqualTo(length - markerBytes(entropy));
            }
        }
    }

    @Test
    void fillBytesAndRestartMarkersAreNoImageData() {
        // 400 KB of 0xFF fill after the scan header of a progressive 8000x8000 frame, then EOI: counted as data, it
        // made libjpeg reserve 192 MB of coefficients and render the frame grey
        byte[] jpeg = HostileJpegs.fillAfterProgressiveHeader(400_000);
        byte[] restarts = grey(16, 16).restartInterval(1).scan(0, 63, 0, 0, 1)
            .raw(0x00, 0xFF, 0xD0, 0xFF, 0xFF, 0x00, 0xFF, 0xD1, 0x00, 0xFF, 0x00, 0xFF, 0xFF, 0xFF)
            .end();

        assertThat(JpegDecoder.readScans(jpeg).entropyBytes()).isEqualTo(1);
        // the six bytes of data (two stuffed 0xFF 0x00 among them, which are data) count; the two restart markers,
        // the fill byte before a stuffed byte and the three before EOI do not
        assertThat(JpegDecoder.readScans(restarts).entropyBytes()).isEqualTo(6);
    }

    /** What {@link #entropyData} holds that is no data: a restart marker (2 bytes), fill bytes before a marker. */
    private static int markerBytes(byte[] entropy) {
        int count = 0;
        for (int i = 0; i < entropy.length; i++) {
            if ((entropy[i] & 0xFF) != 0xFF) {
                continue;
            }
            int next = i + 1 < entropy.length ? entropy[i + 1] & 0xFF : 0xFF; // the DAC marker follows the data
            if (next == 0xFF) {
                count++;
            }
            else if (next >= 0xD0 && next <= 0xD7) {
                count += 2;
                i++;
            }
        }
        return count;
    }

    @Test
    void countsTheScansAndTheBlocksTheyCover() {
        byte[] jpeg = HostileJpegs.scanFloodGrey(200_000);

        ScanSummary scans = JpegDecoder.readScans(jpeg);

        assertThat(scans.totalBlocks()).isEqualTo(1024L * 1024);
        assertThat(scans.scans()).isGreaterThan(JpegDecoder.MAX_SCANS);
        assertThat(scans.tooManyScans()).isTrue();
        assertThat(scans.blockVisits()).isEqualTo((JpegDecoder.MAX_SCANS) * 1024L * 1024);
    }

    @Test
    void refusesAnInterleavedScanOfMoreThanTenBlocksPerMcu() {
        byte[] jpeg = JpegBuilder.jpeg().dqt()
            .frame(0xC0, 32, 32, new int[] { 1, 0x33 }, new int[] { 2, 0x11 }, new int[] { 3, 0x11 })
            .tables().scan(0, 63, 0, 0, 1, 2, 3).raw(0x00).end();

        assertThatExceptionOfType(MalformedJpegException.class).isThrownBy(() -> decoder.decode(jpeg, 8, 1 << 20))
            .withMessageContaining("11 blocks per MCU");
    }

    @Test
    void refusesARefinementThatDoesNotLowerTheBitPositionByOne() {
        byte[] jpeg = JpegBuilder.jpeg().dqt().frame(0xC2, 8, 8, Y).tables()
            .scan(0, 0, 0, 3, 1).dcZeros(1)
            .scan(0, 0, 3, 1, 1).raw(0x00)
            .end();

        assertThatExceptionOfType(MalformedJpegException.class).isThrownBy(() -> decoder.decode(jpeg, 1, 1 << 20))
            .withMessageContaining("Ah=3 Al=1")
            .withMessageContaining("Al = Ah - 1");
    }

    @Test
    void readsComponentsThatShareAnIdAsTheFallbackRenumbersThem() throws Exception {
        // given a frame of ids 1, 1, 3 (T.81 says they differ) whose first scan names 1, 1, 3: TwelveMonkeys hands
        // libjpeg a frame of 1, 2, 3 and that scan as the frame's components in order; a later scan naming 1 holds
        // the first of them, as libjpeg looks an id up
        byte[] jpeg = JpegBuilder.jpeg().dqt()
            .frame(0xC2, 16, 16, new int[] { 1, 0x11 }, new int[] { 1, 0x11 }, new int[] { 3, 0x11 })
            .tables().scan(0, 0, 0, 1, 1, 1, 3).dcZeros(12).scan(0, 0, 1, 0, 1).dcZeros(4).end();

        DecodedJpeg decoded = decoder.decode(jpeg, 1, 1 << 20);

        assertThat(decoded.complete()).isTrue();
        assertThat(decoded.warnings()).anySatisfy(w -> assertThat(w).contains("is read as component 2"))
            .anySatisfy(w -> assertThat(w).contains("the first scan names a component twice"));
        // the colour model is judged by the ids as written, as TwelveMonkeys judges it
        assertThat(JpegDecoder.readHeader(jpeg).componentIds()).containsExactly(1, 1, 3);
    }

    @Test
    void walksTheScansOfAFrameWhoseIdsRepeatAsLibjpegWillBeAskedToDecodeThem() {
        // given a 4:2:0 photo whose Y, Cb and Cr all have the id 1: libjpeg reads them as 1, 2, 3 (TwelveMonkeys
        // renumbers the frame and mends the scan), so its one scan holds 4 + 1 + 1 blocks per MCU, not three lumas
        byte[] photo = TestImages.bytes("valid/flickr-2725x2225.jpg");
        byte[] shared = io.github.lambdaimageprocessor.AlphaJpegs.withComponentIds(photo, 1, 1, 1);

        ScanSummary scans = JpegDecoder.readScans(shared);

        assertThat(scans.oversizedMcu()).isFalse();
        assertThat(scans.blockVisits()).isEqualTo(JpegDecoder.readScans(photo).blockVisits());
    }

    @Test
    void countsARenumberedIdPast255AndReadsItsLowByteAsTheFallbackDoes() throws Exception {
        // given two components of id 255: TwelveMonkeys gives the second 256 and writes it as the byte 0
        byte[] jpeg = JpegBuilder.jpeg().dqt().frame(0xC2, 8, 8, new int[] { 255, 0x11 }, new int[] { 255, 0x11 })
            .tables().scan(0, 0, 0, 0, 255).dcZeros(1).scan(0, 0, 0, 0, 0).dcZeros(1).end();

        DecodedJpeg decoded = decoder.decode(jpeg, 1, 1 << 20);

        assertThat(decoded.complete()).isTrue();
    }

    @Test
    void refusesALaterScanThatNamesAComponentTwiceForGoodAsLibjpegDoes() {
        // given a frame of ids 1, 1 whose first scan names 1, 1 (mended) and whose second does too: TwelveMonkeys
        // mends the first scan header alone, and libjpeg refuses the second ("Invalid component ID 1 in SOS") once
        // it has decoded the first, so no decoder should be tried after this one
        byte[] jpeg = JpegBuilder.jpeg().dqt().frame(0xC2, 16, 16, new int[] { 1, 0x11 }, new int[] { 1, 0x11 })
            .tables().scan(0, 0, 0, 1, 1, 1).dcZeros(8).scan(0, 0, 1, 0, 1, 1).dcZeros(8).end();

        assertThatExceptionOfType(JpegLimitException.class).isThrownBy(() -> decoder.decode(jpeg, 1, 1 << 20))
            .withMessage("scan 2 names component 1 twice, which libjpeg refuses (Invalid component ID 1 in SOS)");
    }

    @Test
    void decodesASequentialScanWithSpectralSelectionLikeLibjpegAndSaysSo() throws Exception {
        byte[] jpeg = grey(8, 8).scan(1, 5, 0, 0, 1).raw(0x00).end();

        DecodedJpeg decoded = decoder.decode(jpeg, 1, 1 << 20);

        assertThat(decoded.warnings()).singleElement().asString().contains("Ss=1 Se=5");
    }

    @Test
    void warnsAboutAFirstScanThatCodesACoefficientAgain() throws Exception {
        byte[] jpeg = JpegBuilder.jpeg().dqt().frame(0xC2, 8, 8, Y).tables()
            .scan(0, 0, 0, 0, 1).dcZeros(1)
            .scan(1, 63, 0, 0, 1).eobRuns(1)
            .scan(1, 63, 0, 0, 1).eobRuns(1)
            .end();

        DecodedJpeg decoded = decoder.decode(jpeg, 1, 1 << 20);

        assertThat(decoded.complete()).isTrue();
        assertThat(decoded.warnings()).anySatisfy(w -> assertThat(w).contains("second first scan"));
    }

    @Test
    void aMisnumberedRestartMarkerMakesTheDecodeIncompleteWithTheReason() throws Exception {
        // 16x8 grey: two MCUs, a restart after each; the marker after the first says RST3 instead of RST0
        byte[] jpeg = grey(16, 8).restartInterval(1).scan(0, 63, 0, 0, 1).raw(0x3F, 0xFF, 0xD3, 0x3F).end();

        DecodedJpeg decoded = decoder.decode(jpeg, 1, 1 << 20);

        assertThat(decoded.complete()).isFalse();
        assertThat(decoded.warnings()).first().asString().contains("RST3 where RST0 was expected");
    }

    @Test
    void refusesMoreThanTheScanLimit() {
        // 16x16 4:2:0: the scans cover one chroma block each, a sixth of the picture, so only their number is wrong
        JpegBuilder jpeg = JpegBuilder.jpeg().dqt()
            .frame(0xC2, 16, 16, new int[] { 1, 0x22 }, new int[] { 2, 0x11 }, new int[] { 3, 0x11 })
            .tables()
            .scan(0, 0, 0, 0, 1, 2, 3)
            .dcZeros(6);
        for (int i = 0; i < JpegDecoder.MAX_SCANS; i++) {
            jpeg.scan(1, 63, 0, 0, 2).eobRuns(1);
        }
        byte[] file = jpeg.end();

        assertThatExceptionOfType(JpegLimitException.class).isThrownBy(() -> decoder.decode(file, 1, 1 << 20))
            .withMessageContaining("more than 100 scans");
    }

    @Test
    void refusesScansThatAskForMoreWorkThanTheBytesCarry() {
        // 60 scans, under the scan limit, each ending all 1M blocks of an 8192x8192 frame with a few EOB runs
        JpegBuilder jpeg = JpegBuilder.jpeg().dqt().frame(0xC2, 8192, 8192, Y).tables().scan(0, 0, 0, 0, 1)
            .dcZeros(1024L * 1024);
        for (int i = 0; i < 60; i++) {
            jpeg.scan(1, 63, 0, 0, 1).eobRuns(1024L * 1024);
        }
        byte[] file = jpeg.end();

        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> assertThatExceptionOfType(JpegLimitException.class)
            .isThrownBy(() -> decoder.decode(file, 8, 100_000_000L))
            .withMessageContaining("block visits"));
    }

    @ParameterizedTest(name = "comments {0}")
    @ValueSource(strings = { "before the first scan", "between the scans", "before EOI" })
    void commentsBuyAScanFloodNoBlockVisits(String where) {
        byte[] bare = eobFlood(where, 0);
        byte[] padded = eobFlood(where, 2 << 20);
        String refusal = catchThrowableOfType(JpegLimitException.class,
                () -> decoder.decode(bare, 8, 100_000_000L)).getMessage();

        // the same refusal at the same row: 2 MB of comments buy no pass past the 4 every file may make
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> assertThatExceptionOfType(JpegLimitException.class)
            .isThrownBy(() -> decoder.decode(padded, 8, 100_000_000L))
            .withMessage(refusal)
            .withMessageContaining("bytes of image data"));
    }

    /**
     * A grey 10000x10000 progressive file that is almost all end-of-band runs: a byte of DC scan, then 31 AC scans each
     * ending all 1.56M blocks in 108 bytes. 3.4 KB of image data ask for 31 passes over the picture and buy none past
     * the 4 every file may make; {@code padding} bytes of comments go {@code where} said.
     */
    private static byte[] eobFlood(String where, int padding) {
        long blocks = 1250L * 1250;
        JpegBuilder jpeg = JpegBuilder.jpeg().dqt().frame(0xC2, 10000, 10000, Y).tables();
        comments(jpeg, where.equals("before the first scan") ? padding : 0).scan(0, 0, 0, 0, 1).dcZeros(8);
        for (int i = 0; i < 31; i++) {
            comments(jpeg, where.equals("between the scans") && i == 15 ? padding : 0).scan(1, 63, 0, 0, 1)
                .eobRuns(blocks);
        }
        return comments(jpeg, where.equals("before EOI") ? padding : 0).end();
    }

    private static JpegBuilder comments(JpegBuilder jpeg, int bytes) {
        for (int left = bytes; left > 0; left -= 65_000) {
            jpeg.segment(0xFE, new int[Math.min(left, 65_000)]);
        }
        return jpeg;
    }

    @Test
    void decidesAHeaderOnlyGiantWithoutSizingAnythingFromIt() {
        byte[] giant = HostileJpegs.headerOnlyProgressive(3, 0);

        assertTimeoutPreemptively(Duration.ofMillis(500), () -> assertThatExceptionOfType(JpegLimitException.class)
            .isThrownBy(() -> decoder.decode(giant, 8, 100_000_000L))
            .withMessageContaining("cannot hold a 10000x10000 image"));
    }

    @Test
    void decodesWhatArrivedOfATruncatedGiantWithBuffersForThoseRowsOnly() throws Exception {
        // a 10000x10000 grey progressive file whose DC scan stops after 64 KB: enough data to be a cut-short file
        byte[] cut = JpegBuilder.jpeg().dqt().frame(0xC2, 10000, 10000, Y).tables().scan(0, 0, 0, 0, 1)
            .dcZeros(8 * 64 * 1024).cut();

        DecodedJpeg decoded = decoder.decode(cut, 8, 100_000_000L);

        assertThat(decoded.complete()).isFalse();
        assertThat(decoded.image().getWidth()).isEqualTo(1250);
        assertThat(decoded.warnings()).first().asString().contains("ends early");
    }

    private static byte[] entropyData(int length, int escapeAt) {
        byte[] data = new byte[length];
        for (int i = 0; i < length; i++) {
            data[i] = (byte) (0x11 + i % 0xE0);
        }
        if (escapeAt >= 0) {
            int kind = escapeAt % 3;
            data[escapeAt] = (byte) 0xFF;
            data[escapeAt + 1] = (byte) (kind == 0 ? 0x00 : kind == 1 ? 0xD3 : 0xFF);
            if (kind == 2 && escapeAt + 2 < length) {
                data[escapeAt + 2] = (byte) 0xD5;
            }
        }
        return data;
    }

    private static int[] toInts(byte[] bytes) {
        int[] out = new int[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            out[i] = bytes[i] & 0xFF;
        }
        return out;
    }

}
