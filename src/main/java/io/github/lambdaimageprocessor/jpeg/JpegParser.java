package io.github.lambdaimageprocessor.jpeg;

import java.util.Optional;
import javax.imageio.plugins.jpeg.JPEGHuffmanTable;

/**
 * Walks the marker segments of a JPEG held in memory (ITU T.81 Annex B). Tables and metadata are kept as they are
 * met; {@link #nextScan()} stops at each SOS so the decoder can consume the entropy-coded data, then resumes after it.
 * Like libjpeg it skips junk and 0xFF fill bytes before a marker.
 */
final class JpegParser {

    private static final int SOF0 = 0xC0;
    private static final int SOF1 = 0xC1;
    private static final int SOF2 = 0xC2;
    private static final int DHT = 0xC4;
    private static final int DAC = 0xCC;
    private static final int SOI = 0xD8;
    private static final int EOI = 0xD9;
    private static final int SOS = 0xDA;
    private static final int DQT = 0xDB;
    private static final int DRI = 0xDD;
    private static final int APP0 = 0xE0;
    private static final int APP1 = 0xE1;
    private static final int APP2 = 0xE2;
    private static final int APP14 = 0xEE;

    private final byte[] data;
    private int pos;

    final HuffmanTable[] dcTables = new HuffmanTable[4];
    final HuffmanTable[] acTables = new HuffmanTable[4];
    /** Quantisation tables in zigzag order, as stored. */
    final int[][] quantTables = new int[4][];
    int restartInterval;
    Frame frame;

    private final JpegMetadata metadata = new JpegMetadata();

    JpegParser(byte[] data) throws MalformedJpegException {
        this.data = data;
        if (data.length < 4 || (data[0] & 0xFF) != 0xFF || (data[1] & 0xFF) != SOI) {
            throw new MalformedJpegException("not a JPEG: no SOI marker at the start");
        }
        this.pos = 2;
    }

    byte[] data() {
        return data;
    }

    /** Continues after the entropy-coded data of a scan, which the decoder read up to {@code position}. */
    void resumeAt(int position) {
        this.pos = Math.max(pos, Math.min(position, data.length));
    }

    /**
     * Reads segments up to the next SOS and returns its header, or empty at EOI or the end of the data.
     */
    Optional<ScanHeader> nextScan() throws JpegException {
        while (true) {
            int marker = nextMarker();
            if (marker < 0 || marker == EOI) {
                return Optional.empty();
            }
            if (marker == SOI || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
                continue; // standalone markers without a length; a stray RSTn between scans is harmless
            }
            int length = readLength(marker);
            int start = pos;
            int segEnd = start + length - 2;
            switch (marker) {
                case SOF0, SOF1, SOF2 -> readFrame(marker, start, segEnd);
                case DHT -> readHuffmanTables(start, segEnd);
                case DQT -> readQuantTables(start, segEnd);
                case DRI -> {
                    if (length < 4) {
                        throw new MalformedJpegException("DRI segment too short");
                    }
                    restartInterval = u16(start);
                }
                case SOS -> {
                    ScanHeader scan = readScan(start, segEnd);
                    pos = segEnd;
                    return Optional.of(scan);
                }
                case DAC -> throw new UnsupportedJpegException("arithmetic-coded JPEG");
                default -> {
                    if (marker >= 0xC3 && marker <= 0xCF) {
                        throw new UnsupportedJpegException(describeSof(marker));
                    }
                    if (marker >= APP0 && marker <= 0xEF) {
                        metadata.readApp(marker - APP0, data, start, segEnd);
                    }
                    // COM, DNL, JPGn and unknown segments carry nothing the decoder needs
                }
            }
            pos = segEnd;
        }
    }

    /** Metadata collected so far; call after the first scan header for the complete header picture. */
    JpegInfo info() {
        JpegColorSpace colorSpace = metadata.colorSpace(frame.components);
        return new JpegInfo(frame.width, frame.height, frame.components.length, frame.precision, frame.progressive,
                colorSpace, metadata.exifOrientation(), metadata.adobeTransform(), metadata.iccProfile());
    }

    /** Returns the next marker code, skipping junk and fill bytes, or -1 at the end of the data. */
    private int nextMarker() {
        while (pos + 1 < data.length) {
            if ((data[pos] & 0xFF) != 0xFF) {
                pos++;
                continue;
            }
            int code = data[pos + 1] & 0xFF;
            if (code == 0xFF) {
                pos++; // fill byte
                continue;
            }
            if (code == 0x00) {
                pos += 2; // stuffed byte left over from entropy data: not a marker
                continue;
            }
            pos += 2;
            return code;
        }
        pos = data.length;
        return -1;
    }

    private int readLength(int marker) throws MalformedJpegException {
        if (pos + 2 > data.length) {
            throw new MalformedJpegException(String.format("marker 0x%02X: file ends before the segment length", marker));
        }
        int length = u16(pos);
        if (length < 2 || pos + length > data.length) {
            throw new MalformedJpegException(String.format("marker 0x%02X: segment length %d runs past the end of the file",
                    marker, length));
        }
        pos += 2;
        return length;
    }

    private void readFrame(int marker, int start, int end) throws JpegException {
        if (frame != null) {
            throw new MalformedJpegException("two frame headers (SOF) in one image");
        }
        if (end - start < 6) {
            throw new MalformedJpegException("SOF segment too short");
        }
        int precision = data[start] & 0xFF;
        int height = u16(start + 1);
        int width = u16(start + 3);
        int count = data[start + 5] & 0xFF;
        if (precision != 8) {
            throw new UnsupportedJpegException(precision + "-bit samples (only 8-bit is implemented)");
        }
        if (width == 0) {
            throw new MalformedJpegException("frame header declares a zero width");
        }
        if (height == 0) {
            throw new UnsupportedJpegException("frame header declares a zero height (DNL marker not supported)");
        }
        if (count != 1 && count != 3 && count != 4) {
            throw new UnsupportedJpegException(count + " colour components");
        }
        if (end - start < 6 + 3 * count) {
            throw new MalformedJpegException("SOF segment too short for " + count + " components");
        }
        Component[] components = new Component[count];
        for (int i = 0; i < count; i++) {
            int p = start + 6 + 3 * i;
            int id = data[p] & 0xFF;
            int h = (data[p + 1] & 0xFF) >> 4;
            int v = data[p + 1] & 0x0F;
            int tq = data[p + 2] & 0xFF;
            if (h < 1 || h > 4 || v < 1 || v > 4 || tq > 3) {
                throw new MalformedJpegException("invalid sampling factors or quantisation table in component " + id);
            }
            components[i] = new Component(id, h, v, tq, i);
        }
        frame = new Frame(width, height, precision, marker == SOF2, components);
    }

    private void readHuffmanTables(int start, int end) throws MalformedJpegException {
        int p = start;
        while (p < end) {
            if (p + 17 > end) {
                throw new MalformedJpegException("DHT segment too short");
            }
            int tc = (data[p] & 0xFF) >> 4;
            int th = data[p] & 0x0F;
            int[] counts = new int[16];
            int total = 0;
            for (int i = 0; i < 16; i++) {
                counts[i] = data[p + 1 + i] & 0xFF;
                total += counts[i];
            }
            p += 17;
            if (tc > 1 || th > 3 || total > 256 || p + total > end) {
                throw new MalformedJpegException("bogus Huffman table definition");
            }
            int[] symbols = new int[total];
            for (int i = 0; i < total; i++) {
                symbols[i] = data[p + i] & 0xFF;
            }
            p += total;
            (tc == 0 ? dcTables : acTables)[th] = new HuffmanTable(counts, symbols);
        }
    }

    private void readQuantTables(int start, int end) throws MalformedJpegException {
        int p = start;
        while (p < end) {
            int pq = (data[p] & 0xFF) >> 4;
            int tq = data[p] & 0x0F;
            p++;
            int size = pq == 0 ? 64 : 128;
            if (pq > 1 || tq > 3 || p + size > end) {
                throw new MalformedJpegException("bogus quantisation table definition");
            }
            int[] table = new int[64];
            for (int i = 0; i < 64; i++) {
                table[i] = pq == 0 ? data[p + i] & 0xFF : u16(p + 2 * i);
            }
            p += size;
            quantTables[tq] = table;
        }
    }

    private ScanHeader readScan(int start, int end) throws JpegException {
        if (frame == null) {
            throw new MalformedJpegException("scan (SOS) before the frame header (SOF)");
        }
        int count = end > start ? data[start] & 0xFF : 0;
        if (count < 1 || count > 4 || end - start < 1 + 2 * count + 3) {
            throw new MalformedJpegException("invalid scan header");
        }
        Component[] components = new Component[count];
        for (int i = 0; i < count; i++) {
            int p = start + 1 + 2 * i;
            Component c = frame.component(data[p] & 0xFF);
            if (c == null) {
                throw new MalformedJpegException("scan refers to component " + (data[p] & 0xFF)
                        + " that the frame does not have");
            }
            int td = (data[p + 1] & 0xFF) >> 4;
            int ta = data[p + 1] & 0x0F;
            if (td > 3 || ta > 3) {
                throw new MalformedJpegException("invalid Huffman table selector");
            }
            c.dcTable = dcTables[td] != null ? dcTables[td] : StandardTables.dc(td);
            c.acTable = acTables[ta] != null ? acTables[ta] : StandardTables.ac(ta);
            components[i] = c;
        }
        int p = start + 1 + 2 * count;
        int ss = data[p] & 0xFF;
        int se = data[p + 1] & 0xFF;
        int ah = (data[p + 2] & 0xFF) >> 4;
        int al = data[p + 2] & 0x0F;
        return new ScanHeader(components, ss, se, ah, al, end);
    }

    private static String describeSof(int marker) {
        return switch (marker) {
            case 0xC3 -> "lossless JPEG (SOF3)";
            case 0xC5, 0xC6, 0xC7 -> "hierarchical JPEG (SOF" + (marker - 0xC0) + ")";
            case 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF -> "arithmetic-coded JPEG (SOF" + (marker - 0xC0) + ")";
            default -> String.format("unsupported JPEG marker 0x%02X", marker);
        };
    }

    private int u16(int p) {
        return ((data[p] & 0xFF) << 8) | (data[p + 1] & 0xFF);
    }

    /**
     * The Annex K example tables, which Motion-JPEG frames leave out (libjpeg-turbo supplies them too). The JDK
     * already ships them, so they are not copied here.
     */
    static final class StandardTables {

        private static final HuffmanTable DC_LUMA = build(JPEGHuffmanTable.StdDCLuminance);
        private static final HuffmanTable DC_CHROMA = build(JPEGHuffmanTable.StdDCChrominance);
        private static final HuffmanTable AC_LUMA = build(JPEGHuffmanTable.StdACLuminance);
        private static final HuffmanTable AC_CHROMA = build(JPEGHuffmanTable.StdACChrominance);

        private StandardTables() {
        }

        static HuffmanTable dc(int slot) {
            return slot == 0 ? DC_LUMA : DC_CHROMA;
        }

        static HuffmanTable ac(int slot) {
            return slot == 0 ? AC_LUMA : AC_CHROMA;
        }

        private static HuffmanTable build(JPEGHuffmanTable table) {
            short[] lengths = table.getLengths();
            short[] values = table.getValues();
            int[] counts = new int[16];
            for (int i = 0; i < 16; i++) {
                counts[i] = lengths[i];
            }
            int[] symbols = new int[values.length];
            for (int i = 0; i < values.length; i++) {
                symbols[i] = values[i] & 0xFF;
            }
            try {
                return new HuffmanTable(counts, symbols);
            }
            catch (MalformedJpegException e) {
                throw new IllegalStateException("the JDK's standard Huffman tables are valid", e);
            }
        }
    }
}
