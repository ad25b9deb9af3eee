package io.github.lambdaimageprocessor.processing;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ObjectVersionTest {

    @Test
    void theSameVersionIdIsTheSameVersionWhateverTheSequencer() {
        ObjectVersion first = new ObjectVersion("v1", "etag", "0055AED6DCD90281E5");
        ObjectVersion again = new ObjectVersion("v1", "etag", "0055AED6DCD90281E6");

        assertThat(again.sameAs(first)).isTrue();
        assertThat(again.supersedes(first)).isFalse();
    }

    @Test
    void withoutVersionIdsTheETagAndSequencerIdentifyTheVersion() {
        ObjectVersion put = new ObjectVersion(null, "etag", "0055AED6DCD90281E5");

        assertThat(new ObjectVersion(null, "etag", "0055aed6dcd90281e5").sameAs(put)).isTrue();
        assertThat(new ObjectVersion(null, "etag", "0055AED6DCD90281E6").sameAs(put)).isFalse();
    }

    @Test
    void theNullVersionIdOfAnUnversionedWriteIdentifiesNothing() {
        // S3 names every object written while versioning is suspended "null": two such uploads are two versions
        ObjectVersion first = new ObjectVersion("null", "etag1", "0055AED6DCD90281E5");
        ObjectVersion second = new ObjectVersion("null", "etag2", "0055AED6DCD90281E6");

        assertThat(first.versionId()).isNull();
        assertThat(first.sameAs(second)).isFalse();
        assertThat(second.supersedes(first)).isTrue();
    }

    @Test
    void sequencersOfDifferentLengthsCompareAfterLeftPadding() {
        ObjectVersion shorter = new ObjectVersion(null, "a", "FF");
        ObjectVersion longer = new ObjectVersion(null, "b", "0100");

        assertThat(longer.supersedes(shorter)).isTrue();
        assertThat(shorter.isOlderThan(longer)).isTrue();
        assertThat(shorter.supersedes(longer)).isFalse();
    }

    @Test
    void unknownVersionsAlwaysSupersedeAndAreNeverTheSame() {
        ObjectVersion unknown = new ObjectVersion(null, null, null);
        ObjectVersion known = new ObjectVersion(null, "e", "01");

        assertThat(unknown.key()).isNull();
        assertThat(unknown.supersedes(known)).isTrue();
        assertThat(known.supersedes(unknown)).isTrue();
        assertThat(unknown.sameAs(unknown)).isFalse();
    }

    @Test
    void differentVersionsWithoutSequencersSupersedeByArrival() {
        assertThat(new ObjectVersion("v2", null, null).supersedes(new ObjectVersion("v1", null, null))).isTrue();
    }

    @Test
    void aSequencerThatIsNotHexStillIdentifiesButCannotOrder() {
        ObjectVersion odd = new ObjectVersion(null, "e", "not-hex");

        assertThat(odd.sortableSequencer()).isNull();
        assertThat(new ObjectVersion(null, "e", "not-hex").sameAs(odd)).isTrue();
        assertThat(odd.isOlderThan(new ObjectVersion(null, "e", "0A"))).isFalse();
    }
}
