package io.github.lambdaimageprocessor.jpeg;

/**
 * One Huffman table (JPEG Annex C canonical codes) with a 11-bit lookahead table: nearly all symbols in real photos have
 * codes of 11 bits or fewer, so one array read decodes them; longer codes fall back to the canonical
 * {@code maxcode}/{@code valptr} search of Annex F.2.2.3.
 */
final class HuffmanTable {

    static final int LOOKAHEAD = 11;

    /** For each 11-bit prefix: {@code (codeLength << 8) | symbol}, or 0 when the code is longer than 11 bits. */
    final int[] fast = new int[1 << LOOKAHEAD];

    /** Largest code of each length (1-16), -1 when there is none; index 17 is a sentinel that always matches. */
    final int[] maxCode = new int[18];

    /** Offset to subtract from a code of each length to index {@link #values}. */
    final int[] valOffset = new int[17];

    final int[] values;

    /**
     * For AC tables, each 11-bit prefix that holds a whole (run, size) code <em>and</em> its size extra bits, as
     * {@code (value << 16) | (run << 8) | totalBits}, with value 0 for EOB (run 0) and ZRL (run 15, sixteen zeros);
     * 0 otherwise (long codes, EOBn). One lookup then decodes a
     * coefficient, the trick of libjpeg-turbo's {@code jdhuff.c}.
     */
    final int[] fastAc = new int[1 << LOOKAHEAD];

    /**
     * For AC tables of sequential scans: the symbols an 11-bit prefix holds whole (code and extra bits), for skipping
     * coefficients the output scale drops. One lookup gives the first symbol and, when it fits in the same 11 bits, the
     * one after it: {@code (firstAdvance << 24) | (firstBits << 16) | (advance << 8) | bits}, where {@code bits} and
     * {@code advance} cover both symbols (or the first alone). A symbol's advance is how far it moves the zig-zag
     * position: {@code run + 1}, 16 for ZRL, 64 for EOB (which ends the block, so nothing is paired after it). 0 when
     * the first code is longer than 11 bits. The skipped coefficients are never sign-extended or dequantised.
     */
    final int[] skipAc = new int[1 << LOOKAHEAD];

    /**
     * For DC tables of sequential scans, each 11-bit prefix that holds a whole category code <em>and</em> its extra
     * bits, as {@code (difference << 8) | totalBits}: one lookup decodes the DC difference. 0 otherwise.
     */
    final int[] fastDc = new int[1 << LOOKAHEAD];

    /**
     * @param counts number of codes of each length 1..16 (index 0 is length 1)
     * @param symbols the symbols in code order
     * @throws MalformedJpegException when the counts describe more codes than fit (libjpeg's "Bogus Huffman table")
     */
    HuffmanTable(int[] counts, int[] symbols) throws MalformedJpegException {
        this.values = symbols.clone();
        int code = 0;
        int k = 0;
        for (int len = 1; len <= 16; len++) {
            int n = counts[len - 1];
            valOffset[len] = k - code;
            for (int i = 0; i < n; i++) {
                if (code >= (1 << len)) {
                    throw new MalformedJpegException("bogus Huffman table: too many codes of length " + len);
                }
                if (len <= LOOKAHEAD) {
                    // every 11-bit prefix that starts with this code decodes to it
                    int shift = LOOKAHEAD - len;
                    int base = code << shift;
                    int entry = (len << 8) | symbols[k];
                    for (int j = 0; j < (1 << shift); j++) {
                        fast[base + j] = entry;
                    }
                }
                code++;
                k++;
            }
            maxCode[len] = n == 0 ? -1 : code - 1;
            code <<= 1;
        }
        maxCode[17] = Integer.MAX_VALUE;
        for (int look = 0; look < fast.length; look++) {
            int entry = fast[look];
            if (entry == 0) {
                continue;
            }
            int len = entry >>> 8;
            int rs = entry & 0xFF;
            int size = rs & 15;
            skipAc[look] = skipEntry(look, len + size, skipAdvance(rs));
            if (rs <= 15 && len + rs <= LOOKAHEAD) {
                fastDc[look] = (extraValue(look, len, rs) << 8) | (len + rs);
            }
            if (size == 0) {
                // EOB and ZRL need no extra bits: (run 0 or 15, value 0); EOBn of progressive scans go the slow way
                int run = rs >> 4;
                if (run == 0 || run == 15) {
                    fastAc[look] = (run << 8) | len;
                }
                continue;
            }
            if (len + size > LOOKAHEAD) {
                continue;
            }
            fastAc[look] = (extraValue(look, len, size) << 16) | ((rs >> 4) << 8) | (len + size);
        }
    }

    /**
     * The value of the {@code size} extra bits that follow a {@code len}-bit code in prefix {@code look}, sign-extended
     * (Annex F.2.2.1 EXTEND); 0 when there are none. Needs {@code len + size <= LOOKAHEAD}.
     */
    private static int extraValue(int look, int len, int size) {
        if (size == 0) {
            return 0;
        }
        int extra = (look >> (LOOKAHEAD - len - size)) & ((1 << size) - 1);
        return extra < (1 << (size - 1)) ? extra - (1 << size) + 1 : extra;
    }

    /** The skip entry of prefix {@code look} whose first symbol takes {@code bits1} bits and advances {@code adv1}. */
    private int skipEntry(int look, int bits1, int adv1) {
        int single = (adv1 << 24) | (bits1 << 16) | (adv1 << 8) | bits1;
        if (adv1 == 64 || bits1 >= LOOKAHEAD) {
            return single;
        }
        // the second symbol starts bits1 into the prefix: look its code up with zero bits shifted in behind
        int entry2 = fast[(look << bits1) & ((1 << LOOKAHEAD) - 1)];
        if (entry2 == 0) {
            return single;
        }
        int bits2 = (entry2 >>> 8) + ((entry2 & 0xFF) & 15);
        if (bits1 + bits2 > LOOKAHEAD) {
            return single; // the second symbol (or its extra bits) runs past the prefix
        }
        return (adv1 << 24) | (bits1 << 16) | ((adv1 + skipAdvance(entry2 & 0xFF)) << 8) | (bits1 + bits2);
    }

    /** How far a (run, size) symbol of a sequential scan moves the zig-zag position; 64 ends the block (EOB). */
    static int skipAdvance(int rs) {
        int run = rs >> 4;
        if ((rs & 15) != 0) {
            return run + 1;
        }
        // size 0: ZRL is sixteen zeros; every other run is an end of block in a sequential scan
        return run == 15 ? 16 : 64;
    }
}
