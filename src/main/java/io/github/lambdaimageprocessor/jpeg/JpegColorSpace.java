package io.github.lambdaimageprocessor.jpeg;

/**
 * The colour space of the coded components, decided like libjpeg does: from the component count, the JFIF and Adobe
 * markers and the component ids.
 */
public enum JpegColorSpace {
    /** One component. */
    GRAY,
    /** Three components, Y'CbCr (JFIF, or the default). */
    YCBCR,
    /** Three components stored as R, G, B (Adobe transform 0 without JFIF, or component ids 'R', 'G', 'B'). */
    RGB,
    /** Four components, C, M, Y, K (Adobe files store them inverted). */
    CMYK,
    /** Four components, Y'CbCr + K (Adobe transform 2). */
    YCCK,
    /** Any other component count (or no frame header found): no decoder here renders it. */
    OTHER;

    /** How the colour model is written in results: "Gray", "YCbCr", "RGB", "CMYK", "YCCK". */
    public String displayName() {
        return switch (this) {
            case GRAY -> "Gray";
            case YCBCR -> "YCbCr";
            case RGB -> "RGB";
            case CMYK -> "CMYK";
            case YCCK -> "YCCK";
            case OTHER -> "other";
        };
    }
}
