package io.github.lambdaimageprocessor.jpeg;

/**
 * The scan structure of a whole file, read without decoding ({@link JpegDecoder#readScans}): what a decoder that
 * cannot be interrupted mid-scan (libjpeg) would be asked to do.
 *
 * @param scans scan headers up to EOI, counted up to one past {@link JpegDecoder#MAX_SCANS}
 * @param segments marker segments other than scan headers, up to where the scans were counted
 * @param blockVisits blocks the counted scans cover, summed over scans: the work of a decoder that visits every block
 *        of every scan, the worst case of what the entropy-coded data can ask for
 * @param totalBlocks blocks of all components over the MCU-padded grid
 * @param entropyBytes bytes of entropy-coded data after all the scan headers, without the fill bytes and restart
 *        markers in it; 0 for a file that ends after its headers.
 *        What a decoder's work is judged by: comment and APPn segments, however large, hold no image
 * @param fileBytes the size of the file
 * @param bogusDac a DAC segment (arithmetic conditioning, anywhere before EOI) holds values libjpeg-turbo refuses
 * @param oversizedMcu an interleaved scan's MCU holds more than {@link JpegDecoder#MAX_BLOCKS_PER_MCU} blocks, which
 *        libjpeg refuses only after its reader has sized the whole image
 */
public record ScanSummary(int scans, int segments, long blockVisits, long totalBlocks, long entropyBytes, long fileBytes,
        boolean bogusDac, boolean oversizedMcu) {

    public boolean tooManyScans() {
        return scans > JpegDecoder.MAX_SCANS;
    }

    /**
     * The most block visits this much entropy-coded data over this many blocks may ask for
     * ({@link JpegDecoder#workBudget}): padding the file buys none.
     */
    public long workBudget() {
        return JpegDecoder.workBudget(totalBlocks, entropyBytes);
    }
}
