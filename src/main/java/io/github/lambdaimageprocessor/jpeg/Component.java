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

    /** Samples reconstructed at the output scale: {@code blocksPerLine * k} wide. */
    byte[] plane;
    int planeStride;

    int dcPredictor;
    HuffmanTable dcTable;
    HuffmanTable acTable;

    Component(int id, int h, int v, int quantTable, int index) {
        this.id = id;
        this.h = h;
        this.v = v;
        this.quantTable = quantTable;
        this.index = index;
    }
}
