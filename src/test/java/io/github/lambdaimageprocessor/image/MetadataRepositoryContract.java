package io.github.lambdaimageprocessor.image;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every {@link MetadataRepository} adapter must do. Each adapter's test extends this.
 */
public abstract class MetadataRepositoryContract {

    protected static final Instant AT = Instant.parse("2026-11-26T10:15:30.123456Z");

    protected abstract MetadataRepository repository();

    protected static ProcessedImage processed(String key) {
        return ProcessedImage.processed(new ImageObject("uploads", key, 2725, 2225, 829183L, "image/jpeg"),
                new ImageObject("processed", "thumbnails/" + key, 256, 209, 13851L, "image/jpeg"), AT);
    }

    @Test
    void findsWhatItSaved() {
        ProcessedImage image = processed("photos/my photo(1).jpg");

        repository().save(image);

        assertThat(repository().find(image.source().ref())).contains(image);
    }

    @Test
    void keepsRejectedRecordsWithTheirReason() {
        ProcessedImage rejected = ProcessedImage.rejected(
                new ImageObject("uploads", "notes.jpg", null, null, 45L, "text/plain"), "not a JPEG: content is text",
                AT);

        repository().save(rejected);

        assertThat(repository().find(rejected.source().ref())).contains(rejected);
    }

    @Test
    void aSecondSaveForTheSameSourceReplacesTheFirst() {
        ProcessedImage first = processed("same.jpg");
        ProcessedImage second = ProcessedImage.rejected(first.source(), "replaced", AT.plusSeconds(1));

        repository().save(first);
        repository().save(second);

        assertThat(repository().find(first.source().ref())).contains(second);
    }

    @Test
    void keysThatDifferOnlyInCaseOrEncodingAreDifferentRecords() {
        repository().save(processed("Photo.jpg"));

        assertThat(repository().find(new ObjectRef("uploads", "photo.jpg"))).isEmpty();
        assertThat(repository().find(new ObjectRef("uploads", "Photo%2Ejpg"))).isEmpty();
        assertThat(repository().find(new ObjectRef("uploads", "Photo.jpg"))).isPresent();
    }

    @Test
    void findsNothingForAnUnknownSource() {
        assertThat(repository().find(new ObjectRef("uploads", "never-seen.jpg"))).isEmpty();
    }
}
