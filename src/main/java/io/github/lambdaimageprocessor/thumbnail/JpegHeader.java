package io.github.lambdaimageprocessor.thumbnail;

import java.awt.color.ICC_Profile;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

import io.github.lambdaimageprocessor.jpeg.ExifOrientation;

/**
 * What the markers before the first scan say about a JPEG, read with plain byte arithmetic so the limits can be checked
 * before any decoder allocates anything (a 186-byte file may claim 65535x65535).
 *
 * <p>The walk is as lenient as libjpeg's: bytes between segments that are not a marker are skipped, fill bytes are
 * ignored, and a segment whose length runs past the end ends the walk instead of failing it. Whatever this parser
 * cannot find is left for the decoder to judge; it only ever rejects what no decoder in the stack can handle.
 *
 * @param width the frame's width in stored (not displayed) orientation; 0 when no frame header was found
 * @param height the frame's height in stored orientation; 0 when no frame header was found
 * @param frameMarker the SOF marker (0xC0 baseline, 0xC1 extended, 0xC2 progressive, 0xC3 lossless, 0xC9.. arithmetic);
 *        0 when no frame header was found
 * @param precision bits per sample
 * @param components number of colour components
 * @param componentIds the components' identifiers, in frame order
 * @param adobeTransform the Adobe APP14 transform flag (0 none/CMYK/RGB, 1 YCbCr, 2 YCCK), -1 without APP14
 * @param jfif whether a JFIF APP0 segment is present
 * @param icc the embedded ICC profile's chunks joined, or null when none is present or the chunks are incomplete
 * @param iccPresent whether any ICC_PROFILE chunk is present (even a broken one)
 * @param exifOrientation the EXIF orientation tag of the first EXIF segment that has one, 1 when absent or invalid
 * @param huffmanTables whether any DHT segment precedes the first scan
 * @param firstScanOffset offset of the first SOS marker, -1 when there is none
 * @param bogusDac a DAC segment (arithmetic conditioning, anywhere before EOI) holds values libjpeg-turbo refuses
 */
record JpegHeader(int width, int height, int frameMarker, int precision, int components, int[] componentIds,
        int adobeTransform, boolean jfif, byte[] icc, boolean iccPresent, int exifOrientation, boolean huffmanTables,
        int firstScanOffset, boolean bogusDac) {

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private static final byte[] EXIF_ID = "Exif\0\0".getBytes(StandardCharsets.ISO_8859_1);

    private static final byte[] ICC_ID = "ICC_PROFILE\0".getBytes(StandardCharsets.ISO_8859_1);

    private static final byte[] ADOBE_ID = "Adobe".getBytes(StandardCharsets.ISO_8859_1);

    private static final byte[] JFIF_ID = "JFIF\0".getBytes(StandardCharsets.ISO_8859_1);

    boolean hasFrame() {
        return frameMarker != 0;
    }

    long pixels() {
        return (long) width * height;
    }

    boolean progressive() {
        return frameMarker == 0xC2 || frameMarker == 0xCA;
    }

    boolean lossless() {
        return frameMarker == 0xC3 || frameMarker == 0xC7 || frameMarker == 0xCB || frameMarker == 0xCF;
    }

    boolean arithmetic() {
        return frameMarker >= 0xC9 && frameMarker <= 0xCF;
    }

    boolean hierarchical() {
        return frameMarker == 0xC5 || frameMarker == 0xC6 || frameMarker == 0xC7 || frameMarker >= 0xCD;
    }

    /**
     * The colour model the samples are stored in, by the rules libjpeg applies: component count, then the Adobe
     * transform flag, then the JFIF marker and component identifiers.
     */
    String colorModel() {
        return switch (components) {
            case 1 -> "Gray";
            case 3 -> threeComponentModel();
            case 4 -> adobeTransform == 2 ? "YCCK" : "CMYK";
            default -> components + " components";
        };
    }

    private String threeComponentModel() {
        if (jfif) {
            return "YCbCr";
        }
        if (adobeTransform == 0) {
            return "RGB";
        }
        if (adobeTransform < 0 && componentIds.length == 3 && componentIds[0] == 'R' && componentIds[1] == 'G'
                && componentIds[2] == 'B') {
            return "RGB";
        }
        return "YCbCr";
    }

    /**
     * The source's colour space as recorded in the result: the colour model and, when an ICC profile is embedded, its
     * description (or a note that it is unreadable, in which case decoders ignore it).
     */
    String colorSpace() {
        if (!iccPresent) {
            return colorModel();
        }
        String description = iccDescription();
        return colorModel() + (description == null ? " (unreadable ICC profile ignored)" : " (ICC " + description + ")");
    }

    private String iccDescription() {
        if (icc == null) {
            return null;
        }
        try {
            ICC_Profile profile = ICC_Profile.getInstance(icc);
            byte[] desc = profile.getData(ICC_Profile.icSigProfileDescriptionTag);
            return desc == null ? "profile" : '"' + describe(desc) + '"';
        }
        catch (RuntimeException e) {
            // Broken profiles throw IllegalArgumentException or CMMException; the decoders ignore them too.
            return null;
        }
    }

    /** The text of an ICC 'desc' (v2, ASCII) or 'mluc' (v4, UTF-16) tag. */
    private static String describe(byte[] tag) {
        String type = new String(tag, 0, Math.min(4, tag.length), StandardCharsets.ISO_8859_1);
        String text;
        if (type.equals("mluc") && tag.length >= 28) {
            int length = readInt(tag, 20);
            int offset = readInt(tag, 24);
            text = offset >= 0 && length >= 0 && offset + length <= tag.length && offset + length >= 0
                    ? new String(tag, offset, length, StandardCharsets.UTF_16BE) : "";
        }
        else if (tag.length > 12) {
            int length = Math.min(readInt(tag, 8), tag.length - 12);
            text = new String(tag, 12, Math.max(0, length), StandardCharsets.ISO_8859_1);
        }
        else {
            text = "";
        }
        String clean = text.replaceAll("[^\\p{Print}]", "").strip();
        return clean.length() > 64 ? clean.substring(0, 64) : clean;
    }

    /** Reads the header; never throws, whatever the bytes (an absent frame header shows as {@link #hasFrame()}). */
    static JpegHeader read(byte[] b) {
        Builder h = new Builder();
        int pos = 2;
        while (pos < b.length) {
            // Like libjpeg, skip anything that is not a marker (junk between segments, fill bytes).
            if ((b[pos] & 0xFF) != 0xFF) {
                pos++;
                continue;
            }
            int marker = pos + 1 < b.length ? b[pos + 1] & 0xFF : -1;
            if (marker == 0xFF) {
                pos++;
                continue;
            }
            if (marker < 0 || marker == 0xD9) {
                break;
            }
            if (marker == 0x00 || marker == 0x01 || marker == 0xD8 || (marker >= 0xD0 && marker <= 0xD7)) {
                pos += 2;
                continue;
            }
            if (marker == 0xDA && h.firstScanOffset < 0) {
                h.firstScanOffset = pos;
            }
            if (pos + 4 > b.length) {
                break;
            }
            int length = readShort(b, pos + 2);
            int start = pos + 4;
            int end = pos + 2 + length;
            if (length < 2 || end > b.length) {
                break;
            }
            h.segment(marker, b, start, end);
            pos = marker == 0xDA ? entropyCodedEnd(b, end) : end;
        }
        return h.build();
    }

    /**
     * Where the entropy-coded data after a scan header ends: at the next marker (0xFF followed by anything but a
     * stuffed 0x00, a restart marker or a fill byte). Walking on past the first scan finds the segments that sit
     * between progressive scans.
     */
    private static int entropyCodedEnd(byte[] b, int pos) {
        while (pos + 1 < b.length) {
            // 0xFF is rare in entropy-coded data: skip 8 bytes at a time while none of them is 0xFF (a zero byte in
            // the complement), which makes this walk about 4x faster on multi-megabyte files
            while (pos + 9 < b.length) {
                long inverted = ~(long) LONGS.get(b, pos);
                if (((inverted - 0x0101010101010101L) & ~inverted & 0x8080808080808080L) != 0) {
                    break;
                }
                pos += 8;
            }
            if ((b[pos] & 0xFF) == 0xFF) {
                int next = b[pos + 1] & 0xFF;
                if (next != 0x00 && next != 0xFF && (next < 0xD0 || next > 0xD7)) {
                    return pos;
                }
            }
            pos++;
        }
        return b.length;
    }

    private static int readShort(byte[] b, int offset) {
        return ((b[offset] & 0xFF) << 8) | (b[offset + 1] & 0xFF);
    }

    private static int readInt(byte[] b, int offset) {
        return ((b[offset] & 0xFF) << 24) | ((b[offset + 1] & 0xFF) << 16) | ((b[offset + 2] & 0xFF) << 8)
                | (b[offset + 3] & 0xFF);
    }

    private static boolean startsWith(byte[] b, int start, int end, byte[] prefix) {
        if (end - start < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (b[start + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return "JpegHeader[" + width + "x" + height + ", SOF 0x" + Integer.toHexString(frameMarker) + ", " + precision
                + "-bit, " + colorSpace() + ", orientation " + exifOrientation + "]";
    }

    private static final class Builder {

        int width;

        int height;

        int frameMarker;

        int precision;

        int components;

        int[] componentIds = new int[0];

        int adobeTransform = -1;

        boolean jfif;

        byte[][] iccChunks;

        boolean iccPresent;

        boolean iccBroken;

        int exifOrientation;

        boolean huffmanTables;

        int firstScanOffset = -1;

        boolean bogusDac;

        void segment(int marker, byte[] b, int start, int end) {
            if (marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC) {
                frame(marker, b, start, end);
            }
            else if (marker == 0xC4 && firstScanOffset < 0) {
                huffmanTables = true;
            }
            else if (marker == 0xCC) {
                arithmeticConditioning(b, start, end);
            }
            else if (firstScanOffset >= 0) {
                // Past the first scan only DAC matters; APPn there belongs to nobody we care about.
                return;
            }
            else if (marker == 0xE0 && startsWith(b, start, end, JFIF_ID)) {
                jfif = true;
            }
            else if (marker == 0xE1 && exifOrientation == 0 && startsWith(b, start, end, EXIF_ID)) {
                exifOrientation = ExifOrientation.read(b, start + EXIF_ID.length, end);
            }
            else if (marker == 0xE2 && startsWith(b, start, end, ICC_ID)) {
                iccChunk(b, start + ICC_ID.length, end);
            }
            else if (marker == 0xEE && adobeTransform < 0 && startsWith(b, start, end, ADOBE_ID) && end - start >= 12) {
                adobeTransform = b[start + 11] & 0xFF;
            }
        }

        private void frame(int marker, byte[] b, int start, int end) {
            if (frameMarker != 0 || end - start < 6) {
                // The first frame header counts (an MPO's second image has its own, after the first EOI).
                return;
            }
            frameMarker = marker;
            precision = b[start] & 0xFF;
            height = readShort(b, start + 1);
            width = readShort(b, start + 3);
            components = b[start + 5] & 0xFF;
            int listed = Math.max(0, Math.min(components, (end - start - 6) / 3));
            componentIds = new int[listed];
            for (int i = 0; i < listed; i++) {
                componentIds[i] = b[start + 6 + 3 * i] & 0xFF;
            }
        }

        /** The checks libjpeg-turbo's get_dac makes; libjpeg 6b (Temurin, Corretto) skips the segment unread. */
        private void arithmeticConditioning(byte[] b, int start, int end) {
            for (int i = start; i + 1 < end; i += 2) {
                int index = b[i] & 0xFF;
                int value = b[i + 1] & 0xFF;
                if (index >= 32 || (index < 16 && (value & 0x0F) > (value >> 4))) {
                    bogusDac = true;
                }
            }
        }

        private void iccChunk(byte[] b, int start, int end) {
            iccPresent = true;
            if (end - start < 2) {
                iccBroken = true;
                return;
            }
            int sequence = b[start] & 0xFF;
            int count = b[start + 1] & 0xFF;
            if (iccChunks == null) {
                iccChunks = new byte[Math.max(count, 1)][];
            }
            if (count != iccChunks.length || sequence < 1 || sequence > count || iccChunks[sequence - 1] != null) {
                iccBroken = true;
                return;
            }
            iccChunks[sequence - 1] = java.util.Arrays.copyOfRange(b, start + 2, end);
        }

        JpegHeader build() {
            return new JpegHeader(width, height, frameMarker, precision, components, componentIds, adobeTransform,
                    jfif, joinedIcc(), iccPresent, exifOrientation >= 1 && exifOrientation <= 8 ? exifOrientation : 1,
                    huffmanTables, firstScanOffset, bogusDac);
        }

        private byte[] joinedIcc() {
            if (iccChunks == null || iccBroken) {
                return null;
            }
            int total = 0;
            for (byte[] chunk : iccChunks) {
                if (chunk == null) {
                    return null;
                }
                total += chunk.length;
            }
            byte[] joined = new byte[total];
            int at = 0;
            for (byte[] chunk : iccChunks) {
                System.arraycopy(chunk, 0, joined, at, chunk.length);
                at += chunk.length;
            }
            return joined;
        }
    }
}
