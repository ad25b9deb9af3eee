package io.github.lambdaimageprocessor.processing;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class OutputLocationTest {

    @Test
    void aProcessedBucketOfItsOwnHoldsOutputsOnlyWhateverTheKey() {
        OutputLocation output = OutputLocation.of("uploads", "processed", "thumbnails/");

        assertThat(output.contains(new ObjectRef("processed", "thumbnails/a.jpg"))).isTrue();
        assertThat(output.contains(new ObjectRef("processed", "a.jpg"))).isTrue();
        assertThat(output.contains(new ObjectRef("uploads", "thumbnails/a.jpg"))).isFalse();
        assertThat(output.thumbnailOf(new ObjectRef("uploads", "a.jpg")))
            .isEqualTo(new ObjectRef("processed", "thumbnails/a.jpg"));
    }

    @Test
    void aBucketSharedWithUploadsHoldsOutputsUnderThePrefixOnly() {
        OutputLocation output = OutputLocation.of("media", "media", "thumbnails/");

        assertThat(output.contains(new ObjectRef("media", "thumbnails/a.jpg"))).isTrue();
        assertThat(output.contains(new ObjectRef("media", "a.jpg"))).isFalse();
        assertThat(output.contains(new ObjectRef("other", "thumbnails/a.jpg"))).isFalse();
    }

    @Test
    void aBucketSharedWithUploadsNeedsAPrefix() {
        assertThatIllegalArgumentException().isThrownBy(() -> OutputLocation.of("media", "media", ""))
            .withMessageContaining("needs a key prefix");
    }
}
