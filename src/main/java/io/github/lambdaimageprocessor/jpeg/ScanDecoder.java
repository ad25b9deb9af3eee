package io.github.lambdaimageprocessor.jpeg;

/**
 * Walks the MCUs of one scan (ITU T.81 A.2): interleaved scans go MCU by MCU through every component's h x v blocks,
 * a single-component scan goes block by block over the component's own (unpadded) block grid. Handles restart
 * intervals and damage: when an MCU reads past the end of its segment or hits an invalid code, the rest of the
 * restart interval is skipped (or, without restarts, the rest of the scan), leaving those blocks as they were, which
 * is what libjpeg's output shows for such files.
 */
abstract class ScanDecoder {

    /** Zigzag index -> natural (row-major) index, ITU T.81 Figure A.6. */
    static final int[] NATURAL_ORDER = { 0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48,
            41, 34, 27, 20, 13, 6, 7, 14, 21, 28, 35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51, 58, 59,
            52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63 };

    final Frame frame;
    /** The reader of the scan being decoded. */
    BitReader reader;
    /** Polled once per MCU row; true stops the decode with {@link Aborted}. */
    java.util.function.BooleanSupplier abort = () -> false;
    /** Output scale: each 8x8 block becomes k x k samples. */
    final int k;
    private boolean complete = true;
    /**
     * Blocks of the frame; with the entropy-coded bytes read so far ({@link #imageBytes} and the current scan's) they
     * set the block visits made so far may not exceed ({@link JpegDecoder#workBudget}). 0 checks no work.
     */
    long frameBlocks;
    /** Block visits made so far, over all scans. */
    long visits;
    /**
     * Bytes of entropy-coded data the scans read, the current one's counted once it ends (also when it throws):
     * comment and APPn segments between them count for none.
     */
    long imageBytes;
    /** Why the last scan was incomplete (the first reason met), or null. */
    String damage;

    ScanDecoder(Frame frame, int k) {
        this.frame = frame;
        this.k = k;
    }

    /** Decodes one block of {@code c} at block row {@code row}, block column {@code col}. */
    abstract void decodeBlock(Component c, int row, int col);

    /**
     * Makes the buffers of {@code c} cover its first {@code blockRows} rows of blocks before the scan writes them:
     * buffers grow with the data that fills them, never ahead of it to the size the header claims.
     */
    abstract void ensureRows(Component c, int blockRows);

    /** Called at the start of the scan and after every restart marker. */
    void resetState(Component[] components) {
        for (Component c : components) {
            c.dcPredictor = 0;
        }
    }

    /** Decodes all MCUs of the scan; returns false when the data was truncated or corrupt (see {@link #damage}). */
    final boolean decode(BitReader in, Component[] components, int restartInterval) {
        int start = in.pos;
        try {
            return decodeRows(in, components, restartInterval, start);
        }
        finally {
            imageBytes += in.pos - start;
        }
    }

    private boolean decodeRows(BitReader in, Component[] components, int restartInterval, int start) {
        this.reader = in;
        this.complete = true;
        this.damage = null;
        resetState(components);
        boolean single = components.length == 1;
        int mcusX = single ? components[0].blocksWide : frame.mcusPerLine;
        int mcusY = single ? components[0].blocksHigh : frame.mcusPerColumn;
        int blocksPerRow = mcusX;
        if (!single) {
            blocksPerRow = 0;
            for (Component c : components) {
                blocksPerRow += mcusX * c.h * c.v;
            }
        }
        // every block costs at least one bit: reserve at once the rows the bytes left can reach (all of them for a real
        // photo, so its buffers are allocated once), and let a file that ends early grow them only as far as it gets
        int reservedRows = (int) Math.min(mcusY, 8L * in.remaining() / Math.max(1, blocksPerRow) + 1);
        for (Component c : components) {
            ensureRows(c, reservedRows * (single ? 1 : c.v));
        }
        int untilRestart = restartInterval;
        int nextRestart = 0;
        boolean skipRest = false;
        for (int my = 0; my < mcusY; my++) {
            if (abort.getAsBoolean()) {
                throw new Aborted();
            }
            // the work is paid for by the data read before it, not by what the file holds further on: a budget taken
            // from the bytes still ahead would count the comments a hostile file puts after its scans
            visits += blocksPerRow;
            if (frameBlocks > 0 && visits > JpegDecoder.workBudget(frameBlocks, imageBytes + in.pos - start)) {
                throw new WorkExceeded();
            }
            if (my >= reservedRows) {
                for (Component c : components) {
                    ensureRows(c, single ? my + 1 : (my + 1) * c.v);
                }
            }
            for (int mx = 0; mx < mcusX; mx++) {
                if (restartInterval > 0) {
                    if (untilRestart == 0) {
                        int marker = in.restart();
                        if (marker < 0) {
                            return damaged("the scan ends before its last restart interval");
                        }
                        if (marker != nextRestart) {
                            // libjpeg resynchronises on a misnumbered marker; this decoder leaves the file to it
                            damaged("restart marker RST" + marker + " where RST" + nextRestart + " was expected");
                        }
                        nextRestart = (marker + 1) & 7;
                        resetState(components);
                        untilRestart = restartInterval;
                        skipRest = false;
                    }
                    untilRestart--;
                }
                if (skipRest) {
                    continue;
                }
                if (single) {
                    decodeBlock(components[0], my, mx);
                }
                else {
                    for (Component c : components) {
                        for (int by = 0; by < c.v; by++) {
                            for (int bx = 0; bx < c.h; bx++) {
                                decodeBlock(c, my * c.v + by, mx * c.h + bx);
                            }
                        }
                    }
                }
                if (in.corrupt) {
                    // an invalid code: like libjpeg, carry on (the symbol read as 0) and let the next restart resync
                    damaged("an invalid Huffman code (corrupt data)");
                    in.corrupt = false;
                }
                if (in.overrun()) {
                    // the segment ended inside this MCU: the rest of the interval (or scan) is missing
                    damaged("the entropy-coded data ends early (truncated or corrupt file)");
                    if (restartInterval <= 0) {
                        return false;
                    }
                    skipRest = true;
                }
            }
        }
        return complete;
    }

    private boolean damaged(String reason) {
        complete = false;
        if (damage == null) {
            damage = reason;
        }
        return false;
    }

    /** Thrown past the work budget; {@link JpegDecoder} turns it into a {@link JpegLimitException}. */
    static final class WorkExceeded extends RuntimeException {

        WorkExceeded() {
            super("work budget exceeded", null, false, false);
        }
    }

    /** Thrown when the caller asked to stop; {@link JpegDecoder} turns it into a {@link JpegException}. */
    static final class Aborted extends RuntimeException {

        Aborted() {
            super("decoding was aborted", null, false, false);
        }
    }
}
