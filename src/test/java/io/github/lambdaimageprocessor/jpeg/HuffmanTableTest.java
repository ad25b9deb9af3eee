package io.github.lambdaimageprocessor.jpeg;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The skip table of the Annex K luminance AC table, whose short codes are {@code 00} (run 0, size 1), {@code 01}
 * (0, 2), {@code 100} (0, 3), {@code 1010} (EOB) and {@code 11111111001} (ZRL, sixteen zeros).
 */
class HuffmanTableTest {

    private final int[] skip = StandardHuffmanTables.ac(0).skipTable();

    @Test
    void anEntryTakesWholeSymbolsUpToAndIncludingTheEndOfBlock() {
        // 00 0 | 00 1 | 1010 | 00: two (0, 1) coefficients, then EOB; the bits after the EOB belong to the next block
        assertThat(entry("000001101000")).isEqualTo(new Entry(2, 66, 10));
    }

    @Test
    void anEntryStopsBeforeASymbolWhoseExtraBitsRunPastThePrefix() {
        // 100 111 | 01 01 | 01: the third symbol's two extra bits are not in the prefix
        assertThat(entry("100111010101")).isEqualTo(new Entry(1, 2, 10));
        // 01 01 | 01 01 | 01 01: three (0, 2) symbols fill the prefix exactly
        assertThat(entry("010101010101")).isEqualTo(new Entry(2, 3, 12));
    }

    @Test
    void zeroRunsAdvanceSixteenPositions() {
        assertThat(entry("111111110010")).isEqualTo(new Entry(0, 16, 11));
    }

    @Test
    void aCodeLongerThanTheFastTableFailsEveryPositionsCheck() {
        // twelve ones start a 16-bit code: the decoder must take one symbol the slow way, whatever the position
        assertThat(entry("111111111111").before()).isEqualTo(64);
    }

    private Entry entry(String prefixBits) {
        int e = skip[Integer.parseInt(prefixBits, 2)];
        return new Entry(e >>> 16, (e >>> 8) & 0xFF, e & 0xFF);
    }

    private record Entry(int before, int advance, int bits) {
    }
}
