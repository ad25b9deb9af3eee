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

    /** Bits a prefix of {@link #skipTable()} covers: 12 measured best (11 to 16 tried), and its 16 KB stay in L1. */
    static final int SKIP_LOOKAHEAD = 12;

    /** Built on first use: DC tables, progressive scans and full-scale decodes never need it. */
    private volatile int[] skipTable;

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

    /**
     * For AC tables of sequential scans, to skip the coefficients the output scale drops: for each 12-bit prefix, the
     * whole symbols (code and extra bits) it holds one after another, as {@code (before << 16) | (advance << 8) | bits},
     * where {@code bits} and {@code advance} cover them all and {@code before} is the advance up to the start of the
     * last. A symbol's advance is how far it moves the zig-zag position: {@code run + 1}, 16 for ZRL, 64 for EOB, after
     * which nothing is added. The entry may be taken at position {@code z} when {@code z + before < 64}: its last
     * symbol still belongs to the block. When the first code does not fit whole, {@code before} is 64, so the check
     * fails and the caller decodes one symbol the slow way. Over the baseline benchmark set a lookup skips 1.95
     * symbols on average (1.66 when entries held two symbols at most in 11 bits). The skipped coefficients are never
     * sign-extended or dequantised.
     */
    int[] skipTable() {
        int[] table = skipTable;
        if (table == null) {
            // the standard tables are shared between threads: two may build the same table, both correct
            table = new int[1 << SKIP_LOOKAHEAD];
            for (int prefix = 0; prefix < table.length; prefix++) {
                table[prefix] = skipEntry(prefix);
            }
            skipTable = table;
        }
        return table;
    }

    private int skipEntry(int prefix) {
        int used = 0;
        int advance = 0;
        int before = 64;
        while (used < SKIP_LOOKAHEAD) {
            // the next code, looked up with zero bits shifted in behind the prefix (it must end inside it)
            int rest = (prefix << used) & ((1 << SKIP_LOOKAHEAD) - 1);
            int entry = fast[rest >>> (SKIP_LOOKAHEAD - LOOKAHEAD)];
            if (entry == 0) {
                break; // a code longer than 11 bits
            }
            int symbolBits = (entry >>> 8) + (entry & 15);
            if (used + symbolBits > SKIP_LOOKAHEAD) {
                break;
            }
            int symbolAdvance = skipAdvance(entry & 0xFF);
            before = advance;
            advance += symbolAdvance;
            used += symbolBits;
            if (symbolAdvance == 64 || advance >= 63) {
                break; // an end of block, or a block that cannot go on (every block starts at position 1 at least)
            }
        }
        return used == 0 ? 64 << 16 : (before << 16) | (advance << 8) | used;
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
