package io.github.lambdaimageprocessor.jpeg;

/**
 * Finds the Orientation tag (0x0112) in IFD0 of an EXIF TIFF structure, bounds-checking every offset: EXIF from
 * cameras and editors is often broken, and a bad tag must never fail the decode. The one reader of it: the decoder's
 * metadata and the resizer's header walk both use it.
 */
public final class ExifOrientation {

    private static final int ORIENTATION = 0x0112;
    private static final int TYPE_SHORT = 3;
    private static final int TYPE_LONG = 4;

    private ExifOrientation() {
    }

    /**
     * @param tiff offset of the TIFF header ("II*\0" or "MM\0*")
     * @return the orientation 1-8, or 0 when absent or invalid
     */
    public static int read(byte[] data, int tiff, int end) {
        if (end - tiff < 8) {
            return 0;
        }
        boolean little;
        if (data[tiff] == 'I' && data[tiff + 1] == 'I') {
            little = true;
        }
        else if (data[tiff] == 'M' && data[tiff + 1] == 'M') {
            little = false;
        }
        else {
            return 0;
        }
        long ifd = u32(data, tiff + 4, little);
        if (ifd < 8 || tiff + ifd + 2 > end) {
            return 0;
        }
        int p = (int) (tiff + ifd);
        int entries = u16(data, p, little);
        p += 2;
        for (int i = 0; i < entries && p + 12 <= end; i++, p += 12) {
            if (u16(data, p, little) == ORIENTATION) {
                int type = u16(data, p + 2, little);
                // SHORT as the spec says; some writers use LONG
                long value = type == TYPE_SHORT ? u16(data, p + 8, little)
                        : type == TYPE_LONG ? u32(data, p + 8, little) : 0;
                return value >= 1 && value <= 8 ? (int) value : 0;
            }
        }
        return 0;
    }

    private static int u16(byte[] d, int p, boolean little) {
        return little ? (d[p] & 0xFF) | (d[p + 1] & 0xFF) << 8 : (d[p] & 0xFF) << 8 | (d[p + 1] & 0xFF);
    }

    private static long u32(byte[] d, int p, boolean little) {
        long a = u16(d, p, little);
        long b = u16(d, p + 2, little);
        return little ? a | b << 16 : a << 16 | b;
    }
}
