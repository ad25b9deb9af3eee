package io.github.lambdaimageprocessor.jpeg;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Reads the entropy-coded segment of a scan: undoes byte stuffing (FF 00 -> FF), stops at markers and then feeds
 * zero bits, like libjpeg's {@code jpeg_fill_bit_buffer}. Feeding zeros keeps decoding bounded and exception-free on
 * truncated data; {@link #overrun()} tells the scan decoder that it consumed bits that were not in the file.
 */
final class BitReader {

    final byte[] data;
    final int end;
    /** Position of the next byte to read; stays on the 0xFF of a marker once one is reached. */
    int pos;
    /** Valid bits in the low end of {@link #buffer}. */
    int bits;
    long buffer;
    /** Zero bits appended after the data ran out (marker or end of input). */
    private int padding;
    /** Set when a code matched no symbol: the data is corrupt. */
    boolean corrupt;

    BitReader(byte[] data, int start, int end) {
        this.data = data;
        this.pos = start;
        this.end = end;
    }

    static final VarHandle LONG_BE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private static final VarHandle INT_BE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);

    /**
     * Tops the buffer up to at least 32 bits. Fast path: four bytes at once when none of them is 0xFF (the SWAR test
     * finds a zero byte in the complement), else byte by byte with the stuffing and marker rules.
     */
    void fill() {
        if (bits <= 32 && end - pos >= 4) {
            int x = (int) INT_BE.get(data, pos);
            int t = ~x;
            if (((t - 0x01010101) & ~t & 0x80808080) == 0) {
                buffer = (buffer << 32) | (x & 0xFFFFFFFFL);
                bits += 32;
                pos += 4;
                return;
            }
        }
        while (bits <= 56) {
            int b;
            if (pos < end) {
                b = data[pos] & 0xFF;
                if (b == 0xFF) {
                    int next = pos + 1 < end ? data[pos + 1] & 0xFF : -1;
                    if (next == 0x00) {
                        pos += 2;
                    }
                    else {
                        // a marker (or the end): the segment is over, feed zeros from now on
                        b = 0;
                        padding += 8;
                    }
                }
                else {
                    pos++;
                }
            }
            else {
                b = 0;
                padding += 8;
            }
            buffer = (buffer << 8) | b;
            bits += 8;
        }
    }

    /** Bytes of input left after the read position (entropy-coded data and whatever follows it). */
    int remaining() {
        return end - pos;
    }

    /** True once bits beyond the end of the segment were consumed (truncated or corrupt data). */
    boolean overrun() {
        return padding > bits;
    }

    int readBit() {
        if (bits < 1) {
            fill();
        }
        bits--;
        return (int) (buffer >>> bits) & 1;
    }

    /** Drops {@code n} bits (any count). */
    void skipBits(int n) {
        while (n > 16) {
            readBits(16);
            n -= 16;
        }
        readBits(n);
    }

    /** Reads {@code n} bits (0-16) as an unsigned number. */
    int readBits(int n) {
        if (bits < n) {
            fill();
        }
        bits -= n;
        return (int) (buffer >>> bits) & ((1 << n) - 1);
    }

    /**
     * Reads {@code s} bits and sign-extends them (Annex F.2.2.1 EXTEND): s-bit values below 2^(s-1) are negative.
     */
    int receiveExtend(int s) {
        if (s == 0) {
            return 0;
        }
        int v = readBits(s);
        return v < (1 << (s - 1)) ? v - (1 << s) + 1 : v;
    }

    /** Decodes one Huffman symbol; on a code that matches nothing returns 0 and flags {@link #corrupt} (libjpeg). */
    int decode(HuffmanTable table) {
        if (bits < 16) {
            fill();
        }
        int look = (int) (buffer >>> (bits - HuffmanTable.LOOKAHEAD)) & ((1 << HuffmanTable.LOOKAHEAD) - 1);
        int entry = table.fast[look];
        if (entry != 0) {
            bits -= entry >>> 8;
            return entry & 0xFF;
        }
        return decodeLong(table);
    }

    /** Codes longer than the lookahead: the canonical search of Annex F.2.2.3. Needs at least 16 buffered bits. */
    int decodeLong(HuffmanTable table) {
        int code16 = (int) (buffer >>> (bits - 16)) & 0xFFFF;
        for (int len = HuffmanTable.LOOKAHEAD + 1; len <= 16; len++) {
            int code = code16 >>> (16 - len);
            if (code <= table.maxCode[len]) {
                bits -= len;
                int index = code + table.valOffset[len];
                if (index < 0 || index >= table.values.length) {
                    break;
                }
                return table.values[index];
            }
        }
        corrupt = true;
        bits -= Math.min(bits, 16);
        return 0;
    }

    /**
     * Prepares for the next restart interval: drops the buffered bits and looks for an RSTn marker at the current
     * position, skipping junk like libjpeg's resync. Returns n of the RSTn found, or -1 when the next marker is not a
     * restart marker (the scan is over or the data ended).
     */
    int restart() {
        buffer = 0;
        bits = 0;
        padding = 0;
        corrupt = false;
        int p = pos;
        while (p + 1 < end) {
            if ((data[p] & 0xFF) == 0xFF) {
                int m = data[p + 1] & 0xFF;
                if (m >= 0xD0 && m <= 0xD7) {
                    pos = p + 2;
                    return m - 0xD0;
                }
                if (m >= 0xC0 && m != 0xFF) {
                    // a structural marker (SOS, EOI, tables, ...): this scan has ended early
                    pos = p;
                    return -1;
                }
                // FF 00, fill bytes and invalid codes below 0xC0 are junk before the marker: skip, like libjpeg
            }
            p++;
        }
        pos = end;
        return -1;
    }
}
