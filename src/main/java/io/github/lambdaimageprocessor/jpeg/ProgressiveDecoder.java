package io.github.lambdaimageprocessor.jpeg;

/**
 * Progressive scans (Annex G.1.2): DC and AC first scans and successive-approximation refinements, with EOB runs.
 * Coefficients accumulate over many scans, so they are kept, but only the top-left k x k of each block that the scaled
 * IDCT will read: at 1/8 scale that is the DC alone, 1/32 of the full coefficient buffer.
 *
 * <p>
 * AC refinement scans still need to know which of the dropped coefficients are non-zero (the bitstream carries a
 * correction bit for every non-zero coefficient and a run length over the zero ones), so each block also keeps a
 * 64-bit "non-zero" mask (bit z for zigzag index z): 8 bytes per block instead of 128. The mask also lets the refinement
 * jump straight to the non-zero coefficients inside EOB runs.
 *
 * <p>Both arrays grow with the block rows the scans reach, so a header claiming a giant frame costs nothing until data
 * arrives for it; masks are only made for components that get an AC scan.
 *
 * <p>The progression is tracked per coefficient like libjpeg's {@code coef_bits}: a scan that codes a coefficient
 * twice, refines one from a bit position it is not at, or sends AC before DC is decoded as libjpeg does, with a
 * warning, since libjpeg (the reference for leniency) only warns about it.
 */
final class ProgressiveDecoder extends ScanDecoder {

    private final int kk;
    /** Zigzag index -> index within the kept k x k coefficients, or -1 when dropped. */
    private final int[] keptIndex = new int[64];
    /** Bit z set when zigzag index z is kept. */
    private long keptMask;
    private final short[][] coefficients;
    private final long[][] nonZero;

    private int ss;
    private int se;
    private int ah;
    private int al;
    private int eobRun;
    /** Per component and zigzag index, the bit position coded so far (Al of its last scan), -1 before any scan. */
    private final int[][] coefficientBits;
    /** The first progression warning, or null. */
    String progressionWarning;

    ProgressiveDecoder(Frame frame, int k) {
        super(frame, k);
        this.kk = k * k;
        for (int z = 0; z < 64; z++) {
            int nat = NATURAL_ORDER[z];
            keptIndex[z] = nat / 8 < k && nat % 8 < k ? (nat / 8) * k + nat % 8 : -1;
            if (keptIndex[z] >= 0) {
                keptMask |= 1L << z;
            }
        }
        Component[] components = frame.components;
        coefficients = new short[components.length][];
        nonZero = new long[components.length][];
        coefficientBits = new int[components.length][64];
        for (Component c : components) {
            coefficients[c.index] = new short[0];
            nonZero[c.index] = new long[0];
            java.util.Arrays.fill(coefficientBits[c.index], -1);
        }
    }

    @Override
    void ensureRows(Component c, int blockRows) {
        int rows = Math.min(blockRows, c.blocksPerColumn);
        int blocks = rows * c.blocksPerLine;
        int full = c.blocksPerLine * c.blocksPerColumn;
        short[] coefs = coefficients[c.index];
        if (coefs.length < blocks * kk) {
            coefficients[c.index] = java.util.Arrays.copyOf(coefs,
                    (int) Math.min((long) full * kk, Math.max((long) blocks * kk, 2L * coefs.length)));
        }
        long[] mask = nonZero[c.index];
        if (ss > 0 && mask.length < blocks) {
            nonZero[c.index] = java.util.Arrays.copyOf(mask,
                    (int) Math.min(full, Math.max(blocks, 2L * mask.length)));
        }
    }

    /** Sets the spectral band and bit positions of the next scan before {@link #decode}. */
    ProgressiveDecoder scan(ScanHeader scan) {
        this.ss = scan.ss();
        this.se = Math.min(scan.se(), 63);
        this.ah = scan.ah();
        this.al = scan.al();
        for (Component c : scan.components()) {
            int[] bits = coefficientBits[c.index];
            if (ss > 0 && bits[0] < 0) {
                warnProgression("an AC scan of component " + c.id + " before its DC scan");
            }
            for (int z = ss; z <= se; z++) {
                if (ah == 0 && bits[z] >= 0) {
                    warnProgression("coefficient " + z + " of component " + c.id + " is coded by a second first scan");
                }
                else if (ah != 0 && ah != bits[z]) {
                    warnProgression("a scan refines coefficient " + z + " of component " + c.id + " from bit " + ah
                            + ", but it is at bit " + bits[z]);
                }
                bits[z] = al;
            }
        }
        return this;
    }

    private void warnProgression(String warning) {
        if (progressionWarning == null) {
            progressionWarning = warning + " (T.81 G.1.1.1.2; decoded as libjpeg does)";
        }
    }

    @Override
    void resetState(Component[] components) {
        super.resetState(components);
        eobRun = 0;
    }

    @Override
    void decodeBlock(Component c, int row, int col) {
        int blockIndex = row * c.blocksPerLine + col;
        if (ss == 0) {
            if (ah == 0) {
                decodeDcFirst(c, blockIndex);
            }
            else {
                decodeDcRefine(c, blockIndex);
            }
        }
        else if (ah == 0) {
            decodeAcFirst(c, blockIndex);
        }
        else {
            decodeAcRefine(c, blockIndex);
        }
    }

    private void decodeDcFirst(Component c, int blockIndex) {
        BitReader in = reader;
        int t = in.decode(c.dcTable);
        if (t > 15) {
            in.corrupt = true;
            t = 0;
        }
        c.dcPredictor += in.receiveExtend(t);
        coefficients[c.index][blockIndex * kk] = (short) (c.dcPredictor * (1 << al));
    }

    private void decodeDcRefine(Component c, int blockIndex) {
        if (reader.readBit() != 0) {
            coefficients[c.index][blockIndex * kk] |= (short) (1 << al);
        }
    }

    private void decodeAcFirst(Component c, int blockIndex) {
        if (eobRun > 0) {
            eobRun--;
            return;
        }
        BitReader in = reader;
        short[] coefs = coefficients[c.index];
        long[] mask = nonZero[c.index];
        int base = blockIndex * kk;
        HuffmanTable ac = c.acTable;
        long nz = mask[blockIndex];
        for (int z = ss; z <= se; z++) {
            if (in.bits < 16) {
                in.fill();
            }
            int look = (int) (in.buffer >>> (in.bits - HuffmanTable.LOOKAHEAD)) & ((1 << HuffmanTable.LOOKAHEAD) - 1);
            int fast = ac.fastAc[look];
            int value;
            if (fast != 0) {
                in.bits -= fast & 0xFF;
                value = fast >> 16;
                if (value == 0) {
                    if ((fast & 0xFF00) == 0) {
                        break; // EOB: eobRun stays 0, only this block ends
                    }
                    z += 15; // ZRL
                    continue;
                }
                z += (fast >> 8) & 0xFF;
            }
            else {
                int rs = in.decode(ac);
                int r = rs >> 4;
                int s = rs & 15;
                if (s == 0) {
                    if (r < 15) {
                        // EOBr: this block and the next 2^r - 1 + (r extra bits) blocks end here
                        eobRun = (1 << r) - 1;
                        if (r > 0) {
                            eobRun += in.readBits(r);
                        }
                        break;
                    }
                    z += 15;
                    continue;
                }
                z += r;
                value = in.receiveExtend(s);
            }
            if (z > 63) {
                break;
            }
            int kept = keptIndex[z];
            if (kept >= 0) {
                coefs[base + kept] = (short) (value * (1 << al));
            }
            nz |= 1L << z;
        }
        mask[blockIndex] = nz;
    }

    private void decodeAcRefine(Component c, int blockIndex) {
        BitReader in = reader;
        short[] coefs = coefficients[c.index];
        long[] mask = nonZero[c.index];
        long nz = mask[blockIndex];
        int base = blockIndex * kk;
        int p1 = 1 << al;
        int m1 = -1 << al;
        int z = ss;
        if (eobRun == 0) {
            HuffmanTable ac = c.acTable;
            for (; z <= se; z++) {
                int rs = in.decode(ac);
                int r = rs >> 4;
                int s = rs & 15;
                int value = 0;
                if (s != 0) {
                    // a newly non-zero coefficient, always of magnitude 1 << al; the next bit is its sign
                    value = in.readBit() != 0 ? p1 : m1;
                }
                else if (r != 15) {
                    eobRun = 1 << r;
                    if (r > 0) {
                        eobRun += in.readBits(r);
                    }
                    break;
                }
                // walk to the (r+1)-th zero coefficient from z, refining the non-zero ones met on the way: with the
                // mask, clear the lowest r zero bits, the next one is the target; the set bits before it get a bit each
                long band = -1L >>> (63 - se);
                long zeros = ~nz & (-1L << z) & band;
                for (int i = 0; i < r && zeros != 0; i++) {
                    zeros &= zeros - 1;
                }
                int target = zeros == 0 ? se + 1 : Long.numberOfTrailingZeros(zeros);
                long passed = nz & (-1L << z) & (target > 63 ? -1L : (1L << target) - 1) & band;
                correct(in, passed, coefs, base, p1, m1);
                z = target;
                if (value != 0 && z <= se) {
                    int kept = keptIndex[z];
                    if (kept >= 0) {
                        coefs[base + kept] = (short) value;
                    }
                    nz |= 1L << z;
                }
            }
        }
        if (eobRun > 0) {
            // inside an EOB run: a correction bit for each coefficient that is already non-zero, and nothing else,
            // so visit only the set bits of the mask within [z, se]
            if (z <= se) {
                correct(in, nz & (-1L << z) & (-1L >>> (63 - se)), coefs, base, p1, m1);
            }
            eobRun--;
        }
        mask[blockIndex] = nz;
    }

    /**
     * Reads the correction bits of the already non-zero coefficients at {@code positions} (one bit each, in zigzag
     * order). Only the kept ones need their bit looked at; the bits of dropped ones are skipped in bulk, so at 1/8
     * scale (nothing kept beyond DC) a refinement costs one bit count per block.
     */
    private void correct(BitReader in, long positions, short[] coefs, int base, int p1, int m1) {
        long keptPositions = positions & keptMask;
        while (keptPositions != 0) {
            int at = Long.numberOfTrailingZeros(keptPositions);
            long before = positions & ((1L << at) - 1);
            in.skipBits(Long.bitCount(before));
            positions &= ~((2L << at) - 1);
            if (in.readBit() != 0) {
                refine(coefs, base, at, p1, m1);
            }
            keptPositions &= keptPositions - 1;
        }
        in.skipBits(Long.bitCount(positions));
    }

    /** Adds one more bit of magnitude, away from zero (G.1.2.3). Dropped coefficients need no value. */
    private void refine(short[] coefs, int base, int z, int p1, int m1) {
        int kept = keptIndex[z];
        if (kept < 0) {
            return;
        }
        int v = coefs[base + kept];
        if ((v & p1) == 0) {
            coefs[base + kept] = (short) (v >= 0 ? v + p1 : v + m1);
        }
    }

    /**
     * Dequantises a full-scale block (natural order) into {@code block}; returns whether any coefficient outside its
     * top-left 4x4 is nonzero, which decides between the full transform and the shortened one.
     */
    private static boolean dequantiseFull(short[] coefs, int base, int[] q, int[] block) {
        int outside = 0;
        for (int y = 0; y < 4; y++) {
            int i = y * 8;
            for (int x = 0; x < 4; x++) {
                block[i + x] = coefs[base + i + x] * q[i + x];
            }
            for (int x = 4; x < 8; x++) {
                int v = coefs[base + i + x] * q[i + x];
                block[i + x] = v;
                outside |= v;
            }
        }
        for (int i = 32; i < 64; i++) {
            int v = coefs[base + i] * q[i];
            block[i] = v;
            outside |= v;
        }
        return outside != 0;
    }

    /**
     * After the last scan: dequantises the kept coefficients and runs the scaled IDCT of every block into the
     * component planes.
     */
    void reconstruct(int[][] quantTables) throws MalformedJpegException {
        ScaledIdct idct = new ScaledIdct();
        int[] block = new int[64];
        for (Component c : frame.components) {
            int[] q = quantTables[c.quantTable];
            if (q == null) {
                throw new MalformedJpegException("component " + c.id + " uses an undefined quantisation table");
            }
            int[] qKept = new int[kk];
            for (int z = 0; z < 64; z++) {
                if (keptIndex[z] >= 0) {
                    qKept[keptIndex[z]] = q[z];
                }
            }
            short[] coefs = coefficients[c.index];
            c.planeRows(c.blocksPerColumn, k);
            // rows no scan reached have no coefficients: their plane rows stay mid-grey
            int rows = coefs.length / (kk * c.blocksPerLine);
            for (int row = 0; row < rows; row++) {
                for (int col = 0; col < c.blocksPerLine; col++) {
                    int base = (row * c.blocksPerLine + col) * kk;
                    int offset = row * k * c.planeStride + col * k;
                    if (k == 8) {
                        if (dequantiseFull(coefs, base, qKept, block)) {
                            idct.transform(block, 8, c.plane, offset, c.planeStride);
                        }
                        else {
                            idct.transformLowFrequencies(block, c.plane, offset, c.planeStride);
                        }
                        continue;
                    }
                    for (int y = 0; y < k; y++) {
                        for (int x = 0; x < k; x++) {
                            block[y * 8 + x] = coefs[base + y * k + x] * qKept[y * k + x];
                        }
                    }
                    idct.transform(block, k, c.plane, offset, c.planeStride);
                }
            }
        }
    }
}
