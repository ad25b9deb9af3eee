package io.github.lambdaimageprocessor.thumbnail;

import java.nio.charset.StandardCharsets;

/**
 * Image formats told apart by their leading bytes, so the decision never depends on a file name.
 */
public enum ImageFormat {
    JPEG("JPEG"), PNG("PNG"), GIF("GIF"), WEBP("WebP"), HEIC("HEIC"), AVIF("AVIF"), BMP("BMP"), TIFF("TIFF"),
    JPEG_2000("JPEG 2000"), JPEG_XL("JPEG XL"), PDF("PDF"), SVG("SVG"), TEXT("text"), EMPTY("empty file"),
    UNKNOWN("unknown content");

    private final String displayName;

    ImageFormat(String displayName) {
        this.displayName = displayName;
    }

    public String displayName() {
        return displayName;
    }

    /** The format these bytes start with. */
    public static ImageFormat detect(byte[] b) {
        if (b.length == 0) {
            return EMPTY;
        }
        // SOI alone, as libjpeg checks: what follows may be junk it skips on its way to the first marker.
        if (startsWith(b, 0, 0xFF, 0xD8)) {
            return JPEG;
        }
        if (startsWith(b, 0, 0x89, 'P', 'N', 'G')) {
            return PNG;
        }
        if (startsWith(b, 0, 'G', 'I', 'F', '8')) {
            return GIF;
        }
        if (startsWith(b, 0, 'R', 'I', 'F', 'F') && startsWith(b, 8, 'W', 'E', 'B', 'P')) {
            return WEBP;
        }
        if (startsWith(b, 4, 'f', 't', 'y', 'p')) {
            String brand = b.length >= 12 ? new String(b, 8, 4, StandardCharsets.US_ASCII) : "";
            if (brand.startsWith("avi")) {
                return AVIF;
            }
            // heic/heix/heim/heis (images), hevc/hevx (an iPhone's image sequences: bursts, Live Photos), mif1/msf1
            if (brand.startsWith("hei") || brand.startsWith("hev") || brand.startsWith("mif")
                    || brand.startsWith("msf")) {
                return HEIC;
            }
            if (brand.startsWith("jp2")) {
                return JPEG_2000;
            }
            return UNKNOWN;
        }
        if (startsWith(b, 0, 'B', 'M')) {
            return BMP;
        }
        if (startsWith(b, 0, 'I', 'I', 42, 0) || startsWith(b, 0, 'M', 'M', 0, 42)) {
            return TIFF;
        }
        if (startsWith(b, 0, 0x00, 0x00, 0x00, 0x0C, 'j', 'P') || startsWith(b, 0, 0xFF, 0x4F, 0xFF, 0x51)) {
            return JPEG_2000;
        }
        if (startsWith(b, 0, 0xFF, 0x0A) || startsWith(b, 0, 0, 0, 0, 0x0C, 'J', 'X', 'L', ' ')) {
            return JPEG_XL;
        }
        if (startsWith(b, 0, '%', 'P', 'D', 'F')) {
            return PDF;
        }
        String head = new String(b, 0, Math.min(b.length, 512), StandardCharsets.ISO_8859_1).stripLeading();
        if (head.startsWith("<svg") || (head.startsWith("<?xml") && head.contains("<svg"))) {
            return SVG;
        }
        return looksLikeText(b) ? TEXT : UNKNOWN;
    }

    private static boolean looksLikeText(byte[] b) {
        int n = Math.min(b.length, 512);
        for (int i = 0; i < n; i++) {
            int c = b[i] & 0xFF;
            if (c < 0x09 || (c > 0x0D && c < 0x20) || c == 0x7F) {
                return false;
            }
        }
        return true;
    }

    private static boolean startsWith(byte[] b, int offset, int... prefix) {
        if (b.length < offset + prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if ((b[offset + i] & 0xFF) != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
