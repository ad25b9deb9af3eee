package io.github.lambdaimageprocessor.jpeg;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * What the APPn segments before the first scan say that matters for rendering: JFIF (APP0), the EXIF orientation
 * (APP1), the ICC profile (APP2 chunks) and the Adobe colour transform (APP14). The one reader of them, for both
 * decoders. Broken metadata never fails a decode: it is ignored.
 *
 * <p>Where segments repeat, libjpeg's rules decide: a JFIF APP0 needs its 14 bytes, every Adobe APP14 of at least 12
 * bytes overwrites the transform (so the last one counts, {@code examine_app14}). libjpeg does not read EXIF; the
 * first APP1 that starts with {@code Exif\0\0} counts, whether or not it holds a valid orientation, as in libexif,
 * Pillow and TwelveMonkeys (the EXIF standard allows one such segment; a second is usually an editor's leftover).
 */
final class JpegMetadata {

    private static final byte[] JFIF = "JFIF\0".getBytes(StandardCharsets.ISO_8859_1);
    private static final byte[] EXIF = "Exif\0\0".getBytes(StandardCharsets.ISO_8859_1);
    private static final byte[] ICC = "ICC_PROFILE\0".getBytes(StandardCharsets.ISO_8859_1);
    private static final byte[] ADOBE = "Adobe".getBytes(StandardCharsets.ISO_8859_1);
    /** libjpeg's {@code APP0_DATA_LEN} and {@code APP14_DATA_LEN}. */
    private static final int JFIF_LENGTH = 14;
    private static final int ADOBE_LENGTH = 12;

    private boolean jfif;
    private int adobeTransform = -1;
    private int exifOrientation;
    private boolean exifSeen;
    /** ICC chunks by sequence number (1-based, at most 255); null entries are missing. */
    private byte[][] iccChunks;
    private boolean iccPresent;
    private boolean iccBroken;

    void readApp(int n, byte[] data, int start, int end) {
        switch (n) {
            case 0 -> jfif |= end - start >= JFIF_LENGTH && startsWith(data, start, end, JFIF);
            case 1 -> {
                if (!exifSeen && startsWith(data, start, end, EXIF)) {
                    exifSeen = true;
                    exifOrientation = ExifOrientation.read(data, start + EXIF.length, end);
                }
            }
            case 2 -> {
                if (startsWith(data, start, end, ICC)) {
                    readIccChunk(data, start + ICC.length, end);
                }
            }
            case 14 -> {
                // "Adobe", version (2), flags0 (2), flags1 (2), transform (1)
                if (end - start >= ADOBE_LENGTH && startsWith(data, start, end, ADOBE)) {
                    adobeTransform = data[start + 11] & 0xFF;
                }
            }
            default -> {
                // other APPn segments do not affect the pixels
            }
        }
    }

    private void readIccChunk(byte[] data, int p, int end) {
        iccPresent = true;
        if (end - p < 2) {
            iccBroken = true;
            return;
        }
        int seq = data[p] & 0xFF;
        int count = data[p + 1] & 0xFF;
        if (iccChunks == null) {
            iccChunks = new byte[Math.max(count, 1)][];
        }
        if (seq < 1 || count != iccChunks.length || seq > count || iccChunks[seq - 1] != null) {
            iccBroken = true;
            return;
        }
        byte[] chunk = new byte[end - p - 2];
        System.arraycopy(data, p + 2, chunk, 0, chunk.length);
        iccChunks[seq - 1] = chunk;
    }

    /** The profile when all its chunks arrived consistently (libjpeg's {@code jpeg_read_icc_profile} rules). */
    Optional<byte[]> iccProfile() {
        if (iccChunks == null || iccBroken) {
            return Optional.empty();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] chunk : iccChunks) {
            if (chunk == null) {
                return Optional.empty();
            }
            out.writeBytes(chunk);
        }
        return out.size() == 0 ? Optional.empty() : Optional.of(out.toByteArray());
    }

    boolean iccPresent() {
        return iccPresent;
    }

    boolean jfif() {
        return jfif;
    }

    int exifOrientation() {
        return exifOrientation;
    }

    int adobeTransform() {
        return adobeTransform;
    }

    /** libjpeg's {@code default_decompress_parms}: JFIF wins, then Adobe, then the component ids. */
    JpegColorSpace colorSpace(int[] componentIds) {
        return switch (componentIds.length) {
            case 1 -> JpegColorSpace.GRAY;
            case 3 -> {
                if (jfif) {
                    yield JpegColorSpace.YCBCR;
                }
                if (adobeTransform == 0) {
                    yield JpegColorSpace.RGB;
                }
                if (adobeTransform > 0) {
                    yield JpegColorSpace.YCBCR;
                }
                if (componentIds[0] == 'R' && componentIds[1] == 'G' && componentIds[2] == 'B') {
                    yield JpegColorSpace.RGB;
                }
                yield JpegColorSpace.YCBCR;
            }
            // libjpeg: transform 0 is CMYK, any other YCCK ("Unknown Adobe color transform code", assumed YCCK)
            case 4 -> adobeTransform > 0 ? JpegColorSpace.YCCK : JpegColorSpace.CMYK;
            default -> JpegColorSpace.OTHER;
        };
    }

    /** Whether an APP2 segment's data, {@code start} to {@code end}, is an ICC_PROFILE chunk. */
    static boolean isIccChunk(byte[] data, int start, int end) {
        return startsWith(data, start, end, ICC);
    }

    private static boolean startsWith(byte[] data, int start, int end, byte[] prefix) {
        if (end - start < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (data[start + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
