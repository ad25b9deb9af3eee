package io.github.lambdaimageprocessor.processing;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;

/**
 * The listing order of {@link MetadataRepository#findRecent}: newest {@code processedAt} first, ties by bucket and key,
 * and a cursor that names the last record of a page, for adapters that sort in memory (files, the test fake). The
 * cursor names a position rather than an offset, so records added while a client pages do not shift what it sees.
 */
public final class RecentFirst {

    public static final Comparator<ProcessedImage> ORDER = Comparator
        .comparing(ProcessedImage::processedAt, Comparator.reverseOrder())
        .thenComparing(image -> image.source().bucket())
        .thenComparing(image -> image.source().key());

    private RecentFirst() {
    }

    /** One page of {@code records} (in any order) after the cursor's position. */
    public static Page<ProcessedImage> page(List<ProcessedImage> records, int limit, String cursor) {
        List<ProcessedImage> sorted = records.stream().sorted(ORDER).toList();
        int start = 0;
        if (cursor != null) {
            ProcessedImage after = decode(cursor);
            while (start < sorted.size() && ORDER.compare(sorted.get(start), after) <= 0) {
                start++;
            }
        }
        int end = Math.min(sorted.size(), start + limit);
        List<ProcessedImage> items = sorted.subList(start, end);
        return new Page<>(items, end < sorted.size() ? encode(items.getLast()) : null);
    }

    private static String encode(ProcessedImage last) {
        String position = last.processedAt() + "\n" + last.source().bucket() + "\n" + last.source().key();
        return Base64.getUrlEncoder().withoutPadding().encodeToString(position.getBytes(StandardCharsets.UTF_8));
    }

    /** The cursor's position, as a record that sorts exactly there. */
    private static ProcessedImage decode(String cursor) {
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split("\n", 3);
            if (parts.length != 3) {
                throw new InvalidCursorException(cursor);
            }
            return ProcessedImage.skipped(ImageObject.unread(new ObjectRef(parts[1], parts[2])), "cursor",
                    Instant.parse(parts[0]));
        }
        catch (IllegalArgumentException | DateTimeParseException e) {
            throw new InvalidCursorException(cursor);
        }
    }
}
