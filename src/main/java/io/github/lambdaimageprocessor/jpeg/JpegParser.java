package io.github.lambdaimageprocessor.jpeg;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The one walk over the marker segments of a JPEG held in memory (ITU T.81 Annex B), for every reader of this project:
 * the header both decoders judge a file by ({@link #readHeader}), the decoder's tables and scans ({@link #nextScan}),
 * and the scan structure checked before a file is handed to libjpeg ({@link #readScans}). Like libjpeg it skips junk
 * and 0xFF fill bytes before a marker.
 *
 * <p>The header walk is lenient and never throws (a segment running past the end ends it); the decoding walk is strict
 * and says why it gives up. Only the scan-structure walk reads past the first scan's entropy-coded data.
 */
final class JpegParser {

    private static final int SOF0 = 0xC0;
    private static final int SOF1 = 0xC1;
    private static final int SOF2 = 0xC2;
    private static final int DHT = 0xC4;
    private static final int JPG = 0xC8;
    private static final int DAC = 0xCC;
    private static final int SOI = 0xD8;
    private static final int EOI = 0xD9;
    private static final int SOS = 0xDA;
    private static final int DQT = 0xDB;
    private static final int DRI = 0xDD;
    private static final int APP0 = 0xE0;

    private final byte[] data;
    /** Strict: parse tables, build the frame, throw on what the decoder cannot use. */
    private final boolean decoding;
    private int pos;
    private int segmentStart;
    private int segmentEnd;
    private int markerOffset;

    final HuffmanTable[] dcTables = new HuffmanTable[4];
    final HuffmanTable[] acTables = new HuffmanTable[4];
    /** Quantisation tables in zigzag order, as stored. */
    final int[][] quantTables = new int[4][];
    int restartInterval;
    /** The frame, built by the decoding walk only. */
    Frame frame;
    /** Scan headers met so far. */
    int scans;
    /** Marker segments other than scan headers met so far. */
    int segments;
    /** Huffman tables defined so far (each definition builds lookup tables: 24 KB allocated). */
    private int huffmanTablesDefined;
    /** What libjpeg would only warn about: the decoder goes on, the caller may log them. */
    final List<String> warnings = new ArrayList<>();

    // what the header says, collected leniently by both walks
    private final JpegMetadata metadata = new JpegMetadata();
    private int frameMarker;
    private int precision;
    private int width;
    private int height;
    private int componentCount;
    private int[] ids = new int[0];
    /** The ids as libjpeg reads them, repeated ones told apart ({@link #toldApart}). */
    private int[] readIds = new int[0];
    private int[] hs = new int[0];
    private int[] vs = new int[0];
    private boolean huffmanTables;
    private int firstScanOffset = -1;
    private int firstScanComponents;
    private boolean bogusDac;
    /** Where the lenient walk stopped at a segment the data ends inside of; null when it did not. */
    private String cutOff;

    private JpegParser(byte[] data, boolean decoding) {
        this.data = data;
        this.decoding = decoding;
        this.pos = 2;
    }

    /** A strict parser for decoding. */
    static JpegParser forDecoding(byte[] data) throws MalformedJpegException {
        if (data.length < 4 || (data[0] & 0xFF) != 0xFF || (data[1] & 0xFF) != SOI) {
            throw new MalformedJpegException("not a JPEG: no SOI marker at the start");
        }
        return new JpegParser(data, true);
    }

    /** The header up to the first scan; never throws, whatever the bytes. */
    static JpegInfo readHeader(byte[] data) {
        JpegParser parser = new JpegParser(data, false);
        try {
            int marker;
            while ((marker = parser.nextSegment()) >= 0) {
                if (marker == SOS) {
                    parser.firstScan();
                    break;
                }
                parser.segment(marker);
            }
        }
        catch (JpegException e) {
            throw new IllegalStateException("the lenient walk does not throw", e);
        }
        return parser.info();
    }

    /**
     * Whether the data ends inside a segment of the header (before the first scan), as an interrupted copy or upload
     * leaves a file: which marker's segment, what length it declares and how many bytes remain. Only for the codes
     * segments have (0xC0-0xFE): a length read after junk bytes (a bogus earlier length) is no truncation.
     */
    static Optional<String> headerCutOff(byte[] data) {
        JpegParser parser = new JpegParser(data, false);
        try {
            int marker;
            while ((marker = parser.nextSegment()) >= 0) {
                if (marker == SOS) {
                    return Optional.empty();
                }
                parser.segment(marker);
            }
        }
        catch (JpegException e) {
            throw new IllegalStateException("the lenient walk does not throw", e);
        }
        return Optional.ofNullable(parser.cutOff);
    }

    /** The marker codes of the segments before the first scan, and the SOS itself, in file order. */
    static List<Integer> markersBeforeFirstScan(byte[] data) {
        JpegParser parser = new JpegParser(data, false);
        List<Integer> markers = new ArrayList<>();
        try {
            int marker;
            while ((marker = parser.nextSegment()) >= 0) {
                markers.add(marker);
                if (marker == SOS) {
                    break;
                }
            }
        }
        catch (JpegException e) {
            throw new IllegalStateException("the lenient walk does not throw", e);
        }
        return markers;
    }

    /**
     * The file without the APP2 ICC_PROFILE segments before the first scan (the ones {@link JpegMetadata} assembles),
     * or the same array when it has none. Never throws.
     */
    static byte[] withoutIccProfile(byte[] data) {
        JpegParser parser = new JpegParser(data, false);
        ByteArrayOutputStream out = null;
        int copied = 0;
        try {
            int marker;
            while ((marker = parser.nextSegment()) >= 0 && marker != SOS) {
                if (marker == APP0 + 2 && JpegMetadata.isIccChunk(data, parser.segmentStart, parser.segmentEnd)) {
                    if (out == null) {
                        out = new ByteArrayOutputStream(data.length);
                    }
                    out.write(data, copied, parser.markerOffset - copied);
                    copied = parser.segmentEnd;
                }
            }
        }
        catch (JpegException e) {
            throw new IllegalStateException("the lenient walk does not throw", e);
        }
        if (out == null) {
            return data;
        }
        out.write(data, copied, data.length - copied);
        return out.toByteArray();
    }

    /**
     * Every scan header and the size of its entropy-coded data, up to EOI, without decoding: what libjpeg would be
     * asked to do. Stops counting past {@link JpegDecoder#MAX_SCANS}.
     */
    static ScanSummary readScans(byte[] data) {
        JpegParser parser = new JpegParser(data, false);
        long visits = 0;
        long entropyBytes = 0;
        boolean oversizedMcu = false;
        try {
            int marker;
            while ((marker = parser.nextSegment()) >= 0) {
                if (marker != SOS) {
                    parser.segment(marker);
                    continue;
                }
                if (parser.firstScanOffset < 0) {
                    parser.firstScan();
                }
                if (++parser.scans > JpegDecoder.MAX_SCANS) {
                    break;
                }
                visits += parser.blocksInScan(parser.segmentStart, parser.segmentEnd);
                oversizedMcu |= parser.blocksPerMcu(parser.segmentStart, parser.segmentEnd)
                        > JpegDecoder.MAX_BLOCKS_PER_MCU;
                int end = entropyCodedEnd(data, parser.segmentEnd);
                entropyBytes += end - parser.segmentEnd - markerBytes(data, parser.segmentEnd, end);
                parser.pos = end;
            }
        }
        catch (JpegException e) {
            throw new IllegalStateException("the lenient walk does not throw", e);
        }
        return new ScanSummary(parser.scans, parser.segments, visits, parser.totalBlocks(), entropyBytes,
                data.length, parser.bogusDac, oversizedMcu);
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
     *
     * @throws JpegLimitException past {@link JpegDecoder#MAX_SCANS} scans
     */
    Optional<ScanHeader> nextScan() throws JpegException {
        int marker;
        while ((marker = nextSegment()) >= 0) {
            if (marker != SOS) {
                segment(marker);
                continue;
            }
            if (firstScanOffset < 0) {
                firstScan();
            }
            if (++scans > JpegDecoder.MAX_SCANS) {
                throw new JpegLimitException("more than " + JpegDecoder.MAX_SCANS
                        + " scans: no encoder writes that many, a file built to be slow does");
            }
            return Optional.of(readScan(segmentStart, segmentEnd));
        }
        return Optional.empty();
    }

    /** The header as far as it has been read; complete once the first scan header was met. */
    JpegInfo info() {
        int[] componentIds = ids.clone();
        boolean progressive = frameMarker == SOF2 || frameMarker == 0xCA;
        boolean multiScan = progressive || (firstScanOffset >= 0 && firstScanComponents < componentCount);
        return new JpegInfo(width, height, componentCount, precision, progressive,
                metadata.colorSpace(componentCount == ids.length ? componentIds : new int[componentCount]),
                metadata.exifOrientation(), metadata.adobeTransform(), metadata.iccProfile(), metadata.iccPresent(),
                frameMarker, componentIds, huffmanTables, firstScanOffset, multiScan, 128 * totalBlocks());
    }

    private void firstScan() {
        firstScanOffset = markerOffset;
        firstScanComponents = segmentEnd > segmentStart ? data[segmentStart] & 0xFF : 0;
    }

    /**
     * Moves past the next marker that has a length; returns its code with {@link #segmentStart} and
     * {@link #segmentEnd} set, or -1 at EOI or the end of the data (or, leniently, at a length that runs past it).
     */
    private int nextSegment() throws MalformedJpegException {
        while (true) {
            int marker = nextMarker();
            if (marker < 0 || marker == EOI) {
                return -1;
            }
            if (marker == SOI || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
                continue; // standalone markers without a length; a stray RSTn between scans is harmless
            }
            markerOffset = pos - 2;
            if (pos + 2 > data.length) {
                if (decoding) {
                    throw new MalformedJpegException(
                            String.format("marker 0x%02X: file ends before the segment length", marker));
                }
                if (marker >= 0xC0) {
                    cutOff = String.format("the file ends before the length of marker 0x%02X's segment", marker);
                }
                return -1;
            }
            int length = u16(pos);
            if (length < 2 || pos + length > data.length) {
                if (decoding) {
                    throw new MalformedJpegException(String
                        .format("marker 0x%02X: segment length %d runs past the end of the file", marker, length));
                }
                if (length >= 2 && marker >= 0xC0) {
                    cutOff = String.format("the segment of marker 0x%02X declares %d bytes, %d remain", marker,
                            length, data.length - pos);
                }
                return -1;
            }
            segmentStart = pos + 2;
            segmentEnd = pos + length;
            pos = segmentEnd;
            return marker;
        }
    }

    /** A segment other than SOS. */
    private void segment(int marker) throws JpegException {
        int start = segmentStart;
        int end = segmentEnd;
        segments++;
        if (marker >= 0xC0 && marker <= 0xCF && marker != DHT && marker != JPG && marker != DAC) {
            frameHeader(marker, start, end);
        }
        else if (marker == DHT) {
            huffmanTables |= firstScanOffset < 0;
            if (decoding) {
                readHuffmanTables(start, end);
            }
        }
        else if (marker == DQT) {
            if (decoding) {
                readQuantTables(start, end);
            }
        }
        else if (marker == DRI) {
            if (decoding) {
                if (end - start < 2) {
                    throw new MalformedJpegException("DRI segment too short");
                }
                restartInterval = u16(start);
            }
        }
        else if (marker == DAC) {
            // conditions arithmetic decoding only: a Huffman-coded frame decodes without it, as libjpeg decodes it
            // (an arithmetic-coded frame is refused by its SOF), so the segment alone never sends a photo to the
            // fallback, which decodes every pixel of the frame
            if (!decoding) {
                arithmeticConditioning(start, end);
            }
        }
        else if (marker >= APP0 && marker <= 0xEF && firstScanOffset < 0) {
            metadata.readApp(marker - APP0, data, start, end);
        }
        // COM, DNL, JPGn, APPn after the first scan and unknown segments carry nothing the decoders need
    }

    private void frameHeader(int marker, int start, int end) throws JpegException {
        if (frameMarker != 0) {
            if (decoding) {
                throw new MalformedJpegException("two frame headers (SOF) in one image");
            }
            return; // the first one counts (an MPO's second image has its own, after the first EOI)
        }
        if (end - start < 6) {
            if (decoding) {
                throw new MalformedJpegException("SOF segment too short");
            }
            return;
        }
        frameMarker = marker;
        precision = data[start] & 0xFF;
        height = u16(start + 1);
        width = u16(start + 3);
        componentCount = data[start + 5] & 0xFF;
        int listed = Math.max(0, Math.min(componentCount, (end - start - 6) / 3));
        ids = new int[listed];
        hs = new int[listed];
        vs = new int[listed];
        for (int i = 0; i < listed; i++) {
            int p = start + 6 + 3 * i;
            ids[i] = data[p] & 0xFF;
            hs[i] = Math.clamp((data[p + 1] & 0xFF) >> 4, 1, 4);
            vs[i] = Math.clamp(data[p + 1] & 0x0F, 1, 4);
        }
        readIds = toldApart(ids);
        if (decoding) {
            if (marker != SOF0 && marker != SOF1 && marker != SOF2) {
                throw new UnsupportedJpegException(describeSof(marker));
            }
            readFrame(marker, start, end);
        }
    }

    /** The checks libjpeg-turbo's {@code get_dac} makes; libjpeg 6b (Temurin, Corretto) skips the segment unread. */
    private void arithmeticConditioning(int start, int end) {
        for (int i = start; i + 1 < end; i += 2) {
            int index = data[i] & 0xFF;
            int value = data[i + 1] & 0xFF;
            if (index >= 32 || (index < 16 && (value & 0x0F) > (value >> 4))) {
                bogusDac = true;
            }
        }
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

    private void readFrame(int marker, int start, int end) throws JpegException {
        int count = componentCount;
        if (precision != 8) {
            throw new UnsupportedJpegException(precision + "-bit samples (only 8-bit is implemented)");
        }
        if (width == 0) {
            throw new MalformedJpegException("frame header declares a zero width");
        }
        if (height == 0) {
            throw new UnsupportedJpegException("frame header declares a zero height (DNL marker not supported)");
        }
        if (count < 1 || count > 4) {
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
            if (readIds[i] != id) {
                warn("two components of the frame have the id " + id + "; the one at " + (i + 1)
                        + " is read as component " + readIds[i] + ", as TwelveMonkeys renumbers it for libjpeg");
            }
            components[i] = new Component(readIds[i], h, v, tq, i);
        }
        frame = new Frame(width, height, precision, marker == SOF2, components);
    }

    /**
     * The frame's ids as libjpeg reads them. T.81 B.2.2 wants them to differ; where they do not, they are told apart
     * as the fallback tells them apart, so both decoders draw the file alike and the fallback's checks count the
     * blocks libjpeg will visit: TwelveMonkeys gives a repeated id the next one up not yet taken (1, 1, 1 becomes 1,
     * 2, 3; 1, 2, 2, 3 becomes 1, 2, 3, 4), counting past 255 and writing the low byte, before libjpeg reads the frame.
     * The colour model is still judged by the ids as written ({@link JpegInfo#componentIds()}), as TwelveMonkeys
     * judges it.
     */
    private static int[] toldApart(int[] ids) {
        // ids up to 255, each counted up at most once per component before it (the lenient walk lists up to 255)
        boolean[] taken = new boolean[2 * 256];
        int[] read = new int[ids.length];
        for (int i = 0; i < ids.length; i++) {
            int id = ids[i];
            while (taken[id]) {
                id++;
            }
            taken[id] = true;
            read[i] = id & 0xFF;
        }
        return read;
    }

    /**
     * The component ids a scan header names, {@code count} of them from {@code start}, as libjpeg reads them:
     * TwelveMonkeys mends the first scan header alone (it hands libjpeg the rest of the file as it is), and when that
     * one names a component twice its list becomes the frame's components in frame order.
     */
    private int[] selectors(int start, int count) {
        int[] selectors = new int[count];
        for (int i = 0; i < count; i++) {
            selectors[i] = data[start + 1 + 2 * i] & 0xFF;
        }
        if (scans == 1 && repeats(selectors)) {
            System.arraycopy(readIds, 0, selectors, 0, Math.min(count, readIds.length));
            warn("the first scan names a component twice; read as the frame's components in order, as TwelveMonkeys "
                    + "mends it for libjpeg");
        }
        return selectors;
    }

    private static boolean contains(int[] values, int length, int value) {
        for (int i = 0; i < length; i++) {
            if (values[i] == value) {
                return true;
            }
        }
        return false;
    }

    private void readHuffmanTables(int start, int end) throws JpegException {
        int p = start;
        while (p < end) {
            if (++huffmanTablesDefined > JpegDecoder.MAX_HUFFMAN_TABLES) {
                throw new JpegLimitException("more than " + JpegDecoder.MAX_HUFFMAN_TABLES + " Huffman tables "
                        + "defined: no encoder writes that many, a file built to be slow does");
            }
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

    /** A scan header, checked against what T.81 allows and libjpeg enforces. */
    private ScanHeader readScan(int start, int end) throws JpegException {
        if (frame == null) {
            throw new MalformedJpegException("scan (SOS) before the frame header (SOF)");
        }
        int count = end > start ? data[start] & 0xFF : 0;
        if (count < 1 || count > 4 || end - start < 1 + 2 * count + 3) {
            throw new MalformedJpegException("invalid scan header");
        }
        int[] selectors = selectors(start, count);
        Component[] components = new Component[count];
        int blocksPerMcu = 0;
        for (int i = 0; i < count; i++) {
            int p = start + 1 + 2 * i;
            // the first component with that id, as libjpeg looks it up
            Component c = frame.component(selectors[i]);
            if (c == null) {
                throw new MalformedJpegException("scan refers to component " + selectors[i]
                        + " that the frame does not have");
            }
            for (int j = 0; j < i; j++) {
                if (components[j] == c) {
                    // libjpeg refuses the scan ("Invalid component ID"), and with it the whole file, once it has
                    // decoded the scans before it: the fallback's verdict, without its work
                    throw new JpegLimitException("scan " + scans + " names component " + c.id + " twice, which "
                            + "libjpeg refuses (Invalid component ID " + c.id + " in SOS)");
                }
            }
            int td = (data[p + 1] & 0xFF) >> 4;
            int ta = data[p + 1] & 0x0F;
            if (td > 3 || ta > 3) {
                throw new MalformedJpegException("invalid Huffman table selector");
            }
            c.dcTable = dcTables[td] != null ? dcTables[td] : StandardHuffmanTables.dc(td);
            c.acTable = acTables[ta] != null ? acTables[ta] : StandardHuffmanTables.ac(ta);
            components[i] = c;
            blocksPerMcu += c.h * c.v;
        }
        if (count > 1 && blocksPerMcu > JpegDecoder.MAX_BLOCKS_PER_MCU) {
            throw new MalformedJpegException("interleaved scan of " + blocksPerMcu + " blocks per MCU; T.81 allows "
                    + JpegDecoder.MAX_BLOCKS_PER_MCU);
        }
        int p = start + 1 + 2 * count;
        int ss = data[p] & 0xFF;
        int se = data[p + 1] & 0xFF;
        int ah = (data[p + 2] & 0xFF) >> 4;
        int al = data[p + 2] & 0x0F;
        if (frame.progressive) {
            checkProgression(count, ss, se, ah, al);
        }
        else if (ss != 0 || se != 63 || ah != 0 || al != 0) {
            // libjpeg: "ought to be an error, but there are some baseline files out there with all zeroes"
            warn("sequential scan with Ss=" + ss + " Se=" + se + " Ah=" + ah + " Al=" + al
                    + " (T.81 requires 0, 63, 0, 0); decoded as a full sequential scan, like libjpeg");
        }
        return new ScanHeader(components, ss, se, ah, al, end);
    }

    private static boolean repeats(int[] values) {
        for (int i = 1; i < values.length; i++) {
            if (contains(values, i, values[i])) {
                return true;
            }
        }
        return false;
    }

    /** G.1.1.1: the band and bit positions a progressive scan may have; libjpeg refuses the others. */
    private static void checkProgression(int count, int ss, int se, int ah, int al) throws MalformedJpegException {
        String bad = null;
        if (ss == 0 && se != 0) {
            bad = "a DC scan (Ss=0) must end at Se=0";
        }
        else if (ss != 0 && (ss > se || se > 63)) {
            bad = "an AC band must satisfy Ss <= Se <= 63";
        }
        else if (ss != 0 && count != 1) {
            bad = "an AC scan must hold one component";
        }
        else if (ah != 0 && al != ah - 1) {
            bad = "a refinement scan must lower the bit position by one (Al = Ah - 1)";
        }
        else if (al > 13) {
            bad = "the bit position Al is at most 13";
        }
        if (bad != null) {
            throw new MalformedJpegException(
                    "invalid progressive scan Ss=" + ss + " Se=" + se + " Ah=" + ah + " Al=" + al + ": " + bad);
        }
    }

    void warn(String warning) {
        if (warnings.size() < 10) {
            warnings.add(warning);
        }
    }

    /** Blocks a scan header's components cover (what libjpeg visits for it), leniently: 0 when unknown. */
    private long blocksInScan(int start, int end) {
        int count = end > start ? data[start] & 0xFF : 0;
        if (width == 0 || height == 0 || ids.length == 0 || end - start < 1 + 2 * count) {
            return 0;
        }
        int hMax = max(hs);
        int vMax = max(vs);
        long mcus = (long) Frame.ceilDiv(width, 8 * hMax) * Frame.ceilDiv(height, 8 * vMax);
        long blocks = 0;
        for (int id : selectors(start, count)) {
            int c = indexOf(id);
            if (c < 0) {
                continue;
            }
            blocks += count == 1
                    ? (long) Frame.ceilDiv(Frame.ceilDiv(width * hs[c], hMax), 8)
                            * Frame.ceilDiv(Frame.ceilDiv(height * vs[c], vMax), 8)
                    : mcus * hs[c] * vs[c];
        }
        return blocks;
    }

    /** Blocks in one MCU of an interleaved scan (the sum of its components' h x v); 0 for a single-component scan. */
    private int blocksPerMcu(int start, int end) {
        int count = end > start ? data[start] & 0xFF : 0;
        if (count < 2 || end - start < 1 + 2 * count) {
            return 0;
        }
        int blocks = 0;
        for (int id : selectors(start, count)) {
            int c = indexOf(id);
            if (c >= 0) {
                blocks += hs[c] * vs[c];
            }
        }
        return blocks;
    }

    /** Blocks of all components over the MCU-padded grid. */
    private long totalBlocks() {
        if (width == 0 || height == 0 || ids.length == 0) {
            return 0;
        }
        long mcus = (long) Frame.ceilDiv(width, 8 * max(hs)) * Frame.ceilDiv(height, 8 * max(vs));
        long blocks = 0;
        for (int i = 0; i < ids.length; i++) {
            blocks += mcus * hs[i] * vs[i];
        }
        return blocks;
    }

    /** The first component libjpeg finds under {@code id}, or -1. */
    private int indexOf(int id) {
        for (int i = 0; i < readIds.length; i++) {
            if (readIds[i] == id) {
                return i;
            }
        }
        return -1;
    }

    private static int max(int[] values) {
        int m = 1;
        for (int v : values) {
            m = Math.max(m, v);
        }
        return m;
    }

    /**
     * Where the entropy-coded data after a scan header ends: at the next marker (0xFF followed by anything but a
     * stuffed 0x00, a restart marker or a fill byte).
     */
    static int entropyCodedEnd(byte[] b, int pos) {
        while (pos + 1 < b.length) {
            // 0xFF is rare in entropy-coded data: skip 8 bytes at a time while none of them is 0xFF (a zero byte in
            // the complement), about 4x faster on multi-megabyte files
            while (pos + 9 < b.length) {
                long inverted = ~(long) LONGS.get(b, pos);
                if (((inverted - 0x0101010101010101L) & ~inverted & 0x8080808080808080L) != 0) {
                    break;
                }
                pos += 8;
            }
            if ((b[pos] & 0xFF) == 0xFF) {
                int next = b[pos + 1] & 0xFF;
                if (next != 0x00 && next != 0xFF && (next < 0xD0 || next > 0xD7)) {
                    return pos;
                }
            }
            pos++;
        }
        return b.length;
    }

    /**
     * The bytes between {@code start} and {@code end} (one scan's entropy-coded data, as {@link #entropyCodedEnd}
     * bounds it) that hold no coefficient: fill bytes (0xFF before a marker, any number of them, T.81 B.1.1.2) and
     * restart markers. Counted as data, they bought the fallback's budgets like comments did: 400 KB of fill after
     * the scan header of a progressive 8000x8000 frame made libjpeg reserve 192 MB and render it grey (0.5 s).
     */
    static int markerBytes(byte[] b, int start, int end) {
        int count = 0;
        int pos = start;
        while (pos < end) {
            while (pos + 8 <= end) {
                long inverted = ~(long) LONGS.get(b, pos);
                if (((inverted - 0x0101010101010101L) & ~inverted & 0x8080808080808080L) != 0) {
                    break;
                }
                pos += 8;
            }
            if (pos >= end) {
                break;
            }
            if ((b[pos] & 0xFF) == 0xFF && pos + 1 < b.length) {
                int next = b[pos + 1] & 0xFF;
                if (next == 0xFF) {
                    count++;
                }
                else if (next >= 0xD0 && next <= 0xD7) {
                    count += 2;
                    pos += 2;
                    continue;
                }
            }
            pos++;
        }
        return count;
    }

    private static final java.lang.invoke.VarHandle LONGS = java.lang.invoke.MethodHandles
        .byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);

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
}
