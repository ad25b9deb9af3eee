package io.github.lambdaimageprocessor.jpeg;

/**
 * One colour component of the frame: its sampling factors and block geometry, and (once decoding starts) the
 * reconstructed samples at the chosen scale or, for progressive frames, the coefficients kept for that scale.
 */
final class Component {

    final int id;
    final int h;
    final int v;
    final int quantTable;
    /** Index in the frame's component list. */
    final int index;

    /** Blocks per row and column of the MCU-padded grid (interleaved scans cover all of them). */
    int blocksPerLine;
    int blocksPerColumn;
    /** Blocks that hold image samples: what a non-interleaved scan covers (ceil(component size / 8)). */
    int blocksWide;
    int blocksHigh;

    /**
     * Samples reconstructed at the output scale: {@code blocksPerLine * k} wide. It grows with the block rows the
     * scans reach ({@link #planeRows}), so a file that claims a giant frame and ends early never gets a giant plane;
     * rows no scan reached are mid-grey.
     */
    byte[] plane = new byte[0];
    int planeStride;

    int dcPredictor;
    HuffmanTable dcTable;
    HuffmanTable acTable;

    /**
     * Makes {@link #plane} cover at least the first {@code blockRows} rows of blocks at scale {@code k}, growing it
     * geometrically up to the whole grid; new rows are mid-grey, like libjpeg's output where data is missing.
     */
    void planeRows(int blockRows, int k) {
        int full = (int) planeBytes(k);
        int needed = (int) Math.min(full, (long) planeStride * k * blockRows);
        if (plane.length < needed) {
            int length = (int) Math.min(full, Math.max(needed, 2L * plane.length));
            int old = plane.length;
            plane = java.util.Arrays.copyOf(plane, length);
            java.util.Arrays.fill(plane, old, length, (byte) 128);
        }
    }

    /** The size of the whole plane at scale k (the decoder refuses scales where it does not fit an array). */
    long planeBytes(int k) {
        return (long) planeStride * blocksPerColumn * k;
    }

    Component(int id, int h, int v, int quantTable, int index) {
        this.id = id;
        this.h = h;
        this.v = v;
        this.quantTable = quantTable;
        this.index = index;
    }
}
