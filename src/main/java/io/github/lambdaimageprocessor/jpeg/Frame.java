package io.github.lambdaimageprocessor.jpeg;

/**
 * The frame header (SOF): size, precision, components, and the MCU grid derived from the sampling factors
 * (ITU T.81 A.2).
 */
final class Frame {

    final int width;
    final int height;
    final int precision;
    final boolean progressive;
    final Component[] components;
    final int hMax;
    final int vMax;
    final int mcusPerLine;
    final int mcusPerColumn;

    Frame(int width, int height, int precision, boolean progressive, Component[] components) {
        this.width = width;
        this.height = height;
        this.precision = precision;
        this.progressive = progressive;
        this.components = components;
        int hm = 1;
        int vm = 1;
        for (Component c : components) {
            hm = Math.max(hm, c.h);
            vm = Math.max(vm, c.v);
        }
        this.hMax = hm;
        this.vMax = vm;
        this.mcusPerLine = ceilDiv(width, 8 * hm);
        this.mcusPerColumn = ceilDiv(height, 8 * vm);
        for (Component c : components) {
            c.blocksPerLine = mcusPerLine * c.h;
            c.blocksPerColumn = mcusPerColumn * c.v;
            c.blocksWide = ceilDiv(ceilDiv(width * c.h, hm), 8);
            c.blocksHigh = ceilDiv(ceilDiv(height * c.v, vm), 8);
        }
    }

    Component component(int id) {
        for (Component c : components) {
            if (c.id == id) {
                return c;
            }
        }
        return null;
    }

    static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }
}
