package io.github.lambdaimageprocessor.jpeg;

import java.util.Optional;

/**
 * What the markers before the first scan say, read by {@link JpegParser} (the one parser both decoders use) before any
 * pixel is decoded, so a caller can enforce limits before allocating. {@link JpegDecoder#readHeader} never fails: a
 * field the walk could not find keeps its "absent" value and the decoders judge the file.
 *
 * @param width image width in pixels as coded (before EXIF orientation); 0 without a frame header
 * @param height image height in pixels as coded; 0 without a frame header
 * @param componentCount as the frame header says (1, 3 and 4 are the usual ones)
 * @param precision sample precision in bits (8, or 12 for extended JPEGs)
 * @param progressive whether the frame is progressive (SOF2, SOF10)
 * @param colorSpace the coded colour space, by libjpeg's rules
 * @param exifOrientation the EXIF orientation tag (1-8) of the first EXIF segment, or 0 when absent or invalid
 * @param adobeTransform the transform flag of the (last) Adobe APP14 marker (0, 1 or 2), or -1 when there is none
 * @param iccProfile the embedded ICC profile, assembled from its APP2 chunks, when complete
 * @param iccPresent whether any ICC_PROFILE chunk is present (even a broken one)
 * @param frameMarker the SOF marker (0xC0 baseline, 0xC1 extended, 0xC2 progressive, 0xC3 lossless, 0xC9..
 *        arithmetic), 0 when no frame header was found
 * @param componentIds the components' identifiers in frame order
 * @param huffmanTables whether a DHT segment precedes the first scan (Motion-JPEG frames have none)
 * @param firstScanOffset offset of the first SOS marker, -1 when there is none
 * @param multiScan whether libjpeg will keep the whole image's coefficients: a progressive frame, or a first scan
 *        that does not hold every component
 * @param coefficientBytes the size of that full coefficient buffer (64 two-byte coefficients per block of every
 *        component, MCU-padded), whether or not it will be needed
 */
public record JpegInfo(int width, int height, int componentCount, int precision, boolean progressive,
        JpegColorSpace colorSpace, int exifOrientation, int adobeTransform, Optional<byte[]> iccProfile,
        boolean iccPresent, int frameMarker, int[] componentIds, boolean huffmanTables, int firstScanOffset,
        boolean multiScan, long coefficientBytes) {

    public long pixels() {
        return (long) width * height;
    }

    public boolean hasFrame() {
        return frameMarker != 0;
    }

    public boolean lossless() {
        return frameMarker == 0xC3 || frameMarker == 0xC7 || frameMarker == 0xCB || frameMarker == 0xCF;
    }

    public boolean arithmetic() {
        return frameMarker >= 0xC9 && frameMarker <= 0xCF;
    }

    /**
     * Whether ICC_PROFILE chunks are present but do not make a usable profile: chunks missing or inconsistent
     * (libjpeg's rules), fewer than the 128 bytes of a profile header, or a header whose declared size (bytes 0-3)
     * is smaller than that header or larger than the bytes that arrived, or a profile that could cost far more to
     * apply than its size. Decoders that trust the declared size allocate it (TwelveMonkeys'
     * {@code ColorProfiles.readProfile}: 1.6 GB for a 1 KB file), so such chunks are removed before a file reaches
     * them ({@link JpegDecoder#withoutIccProfile}); the profile is ignored either way.
     */
    public boolean iccBroken() {
        if (!iccPresent) {
            return false;
        }
        if (iccProfile.isEmpty() || iccProfile.get().length < 128) {
            return true;
        }
        byte[] icc = iccProfile.get();
        long declared = u32(icc, 0);
        return declared < 128 || declared > icc.length || costlyToApply(icc, (int) declared);
    }

    /** More tags than any real profile has (camera, editor and printer profiles carry 10-40). */
    private static final int MAX_ICC_TAGS = 100;

    /** The ICC type signature 'mpet' (multiProcessElementsType). */
    private static final long MULTI_PROCESS_ELEMENTS = 0x6D706574L;

    /** The ICC type signature 'curv' (curveType): a tone curve as a table. */
    private static final long CURVE = 0x63757276L;

    /**
     * Entries a tabulated tone curve may have. Real profiles carry 1024 (sRGB IEC61966-2.1), 256 or 4096, else a
     * gamma or a parametric curve; lcms accepts up to 32767 and inverts a table, when the profile is a transform's
     * output, by a linear search at each of 4096 points: TwelveMonkeys makes every profile such an output once
     * (its colour-space check converts sRGB into it), so 32767 entries shaped to make each search run to the bottom
     * cost 0.45 s of native CPU for a 70 KB upload.
     */
    private static final long MAX_CURVE_ENTRIES = 4096;

    /**
     * Whether applying the profile could cost far more than its bytes: a tag table longer than any real profile's,
     * or a tag of type {@code mpet} (the floating-point D2Bx/B2Dx transforms of ICC v4, which cameras and editors do
     * not write), whose position table may name the same 60-byte stage thousands of times, 8 bytes each: the JDK's
     * colour engine (native, not interruptible) then ran for minutes on a 1 MB upload, long after its time limit;
     * or a tone curve ({@code curv}, the TRC tags) longer than {@link #MAX_CURVE_ENTRIES}, which the engine inverts
     * in time proportional to its length.
     */
    private static boolean costlyToApply(byte[] icc, int length) {
        if (length < 132) {
            return false; // no tag table: nothing to apply, and the colour engine refuses it
        }
        long tags = u32(icc, 128);
        if (tags > MAX_ICC_TAGS || 132 + tags * 12 > length) {
            return true;
        }
        for (int i = 0; i < tags; i++) {
            long offset = u32(icc, 132 + 12 * i + 4);
            if (offset + 4 <= length && u32(icc, (int) offset) == MULTI_PROCESS_ELEMENTS) {
                return true;
            }
            if (offset + 12 <= length && u32(icc, (int) offset) == CURVE
                    && u32(icc, (int) offset + 8) > MAX_CURVE_ENTRIES) {
                return true;
            }
        }
        return false;
    }

    private static long u32(byte[] b, int p) {
        return ((b[p] & 0xFFL) << 24) | ((b[p + 1] & 0xFF) << 16) | ((b[p + 2] & 0xFF) << 8) | (b[p + 3] & 0xFF);
    }

    /**
     * The colour space of the components before the last when ImageIO reads that last one as alpha, as the fallback
     * (TwelveMonkeys' reader) does where libjpeg sees no colour model of its own: two components are grey and alpha;
     * four without an Adobe marker are Y'CbCr and alpha when their ids are 1, 2, 3, 4 (the JDK's writer wrote ARGB
     * pictures so), and R, G, B and alpha when they are 'R', 'G', 'B', 'A' or 'Y', 'C', 'c', 'A' (left as they are,
     * not converted). Any other four without an Adobe marker are CMYK, to both ({@link #colorSpace()}). Empty when
     * there is no alpha.
     */
    public Optional<JpegColorSpace> alphaOver() {
        if (componentCount == 2) {
            return Optional.of(JpegColorSpace.GRAY);
        }
        if (componentCount != 4 || adobeTransform >= 0 || componentIds.length != 4) {
            return Optional.empty();
        }
        if (ids(1, 2, 3, 4)) {
            return Optional.of(JpegColorSpace.YCBCR);
        }
        if (ids('R', 'G', 'B', 'A') || ids('Y', 'C', 'c', 'A')) {
            return Optional.of(JpegColorSpace.RGB);
        }
        return Optional.empty();
    }

    private boolean ids(int first, int second, int third, int fourth) {
        return componentIds[0] == first && componentIds[1] == second && componentIds[2] == third
                && componentIds[3] == fourth;
    }

    public boolean hierarchical() {
        return frameMarker == 0xC5 || frameMarker == 0xC6 || frameMarker == 0xC7 || frameMarker >= 0xCD;
    }

    @Override
    public String toString() {
        return "JpegInfo[" + width + "x" + height + ", SOF 0x" + Integer.toHexString(frameMarker) + ", " + precision
                + "-bit, " + componentCount + " components, " + colorSpace.displayName() + ", orientation "
                + exifOrientation + "]";
    }
}
