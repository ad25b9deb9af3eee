package io.github.lambdaimageprocessor.processing;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every {@link Notifier} adapter must do. Each adapter's test extends this and says what its notifications
 * looked like to a reader.
 */
public abstract class NotifierContract {

    protected static final Instant AT = Instant.parse("2026-11-26T10:15:30Z");

    protected abstract Notifier notifier();

    /** The text of every notification delivered so far (subject and body where there are both), oldest first. */
    protected abstract List<String> delivered(int expected);

    protected static ProcessedImage processed(String key) {
        return ProcessedImage.processed(new ImageObject("uploads", key, 2725, 2225, 829183L, "image/jpeg"),
                new ImageObject("processed", "thumbnails/" + key, 256, 209, 13851L, "image/jpeg"), AT);
    }

    protected static ProcessedImage rejected(String key) {
        return ProcessedImage.rejected(new ImageObject("uploads", key, null, null, 45L, "text/plain"),
                "not a JPEG: content is text", AT);
    }

    @Test
    void tellsWhereTheThumbnailOfAProcessedImageIs() {
        notifier().imageProcessed(processed("photos/beach.jpg"));

        assertThat(delivered(1)).singleElement().asString()
            .contains("photos/beach.jpg")
            .contains("processed/thumbnails/photos/beach.jpg")
            .contains("256x209");
    }

    @Test
    void tellsWhyARejectedImageWasRejected() {
        notifier().imageProcessed(rejected("notes.jpg"));

        assertThat(delivered(1)).singleElement().asString()
            .contains("notes.jpg")
            .contains("not a JPEG: content is text");
    }

    @ParameterizedTest(name = "key \"{0}\"")
    @ValueSource(strings = { "café €.jpg", "日本語/写真.jpg", "line\nbreak.jpg", "tab\tand\u0001control.jpg",
            "a+b (1).jpg" })
    void notifiesWhateverTheKeyHolds(String key) {
        notifier().imageProcessed(processed(key));
        notifier().imageProcessed(rejected(key));

        assertThat(delivered(2)).hasSize(2);
    }

    @Test
    void notifiesForAKeyOfS3sMaximumLength() {
        notifier().imageProcessed(rejected("long/" + "x".repeat(1019)));

        assertThat(delivered(1)).hasSize(1);
    }
}
