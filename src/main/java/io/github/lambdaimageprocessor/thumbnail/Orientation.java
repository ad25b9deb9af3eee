package io.github.lambdaimageprocessor.thumbnail;

import java.awt.image.BufferedImage;

import io.github.lambdaimageprocessor.processing.Dimensions;

/**
 * The eight EXIF orientations: how the stored pixels must be transformed to be displayed upright. Applied to the
 * thumbnail, after resizing, where it costs next to nothing.
 */
enum Orientation {

    /** 1: stored upright. */
    NORMAL(1),
    /** 2: mirrored left to right. */
    MIRROR_HORIZONTAL(2),
    /** 3: upside down. */
    ROTATE_180(3),
    /** 4: mirrored top to bottom. */
    MIRROR_VERTICAL(4),
    /** 5: mirrored along the main diagonal (transpose). */
    TRANSPOSE(5),
    /** 6: must be turned 90 degrees clockwise. */
    ROTATE_90(6),
    /** 7: mirrored along the anti-diagonal (transverse). */
    TRANSVERSE(7),
    /** 8: must be turned 90 degrees counter-clockwise. */
    ROTATE_270(8);

    private final int exif;

    Orientation(int exif) {
        this.exif = exif;
    }

    int exif() {
        return exif;
    }

    /** The orientation of an EXIF value; anything outside 1-8 (0 is common) means no transformation. */
    static Orientation ofExif(int value) {
        return value >= 1 && value <= 8 ? values()[value - 1] : NORMAL;
    }

    /** Whether the displayed image has width and height swapped relative to the stored one. */
    boolean swapsAxes() {
        return exif >= 5;
    }

    Dimensions displayed(Dimensions stored) {
        return swapsAxes() ? new Dimensions(stored.height(), stored.width()) : stored;
    }

    /** The upright version of a stored-orientation image (the same image when nothing is to be done). */
    BufferedImage apply(BufferedImage stored) {
        if (this == NORMAL) {
            return stored;
        }
        int w = stored.getWidth();
        int h = stored.getHeight();
        int outW = swapsAxes() ? h : w;
        int outH = swapsAxes() ? w : h;
        BufferedImage upright = new BufferedImage(outW, outH, BufferedImage.TYPE_INT_RGB);
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            stored.getRGB(0, y, w, 1, row, 0, w);
            for (int x = 0; x < w; x++) {
                int dx;
                int dy;
                switch (this) {
                    case MIRROR_HORIZONTAL -> { dx = w - 1 - x; dy = y; }
                    case ROTATE_180 -> { dx = w - 1 - x; dy = h - 1 - y; }
                    case MIRROR_VERTICAL -> { dx = x; dy = h - 1 - y; }
                    case TRANSPOSE -> { dx = y; dy = x; }
                    case ROTATE_90 -> { dx = h - 1 - y; dy = x; }
                    case TRANSVERSE -> { dx = h - 1 - y; dy = w - 1 - x; }
                    case ROTATE_270 -> { dx = y; dy = w - 1 - x; }
                    default -> { dx = x; dy = y; }
                }
                upright.setRGB(dx, dy, row[x]);
            }
        }
        return upright;
    }
}
