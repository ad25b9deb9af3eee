package io.github.lambdaimageprocessor.processing;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every {@link ImageStore} adapter must do. Each adapter's test extends this and supplies the store and a bucket
 * that exists in it.
 */
public abstract class ImageStoreContract {

    protected abstract ImageStore store();

    protected abstract String bucket();

    @ParameterizedTest(name = "key \"{0}\"")
    @ValueSource(strings = { "photo.jpg", "my photo(1).jpg", "a+b.jpg", "café €.jpg", "deep/ly/nested/key.jpg",
            "UPPER.JPEG", "日本語/写真.jpg", "dots.in.name..jpg" })
    void readsBackWhatItWrote(String key) {
        ObjectRef ref = new ObjectRef(bucket(), key);
        byte[] content = ("content of " + key).getBytes(java.nio.charset.StandardCharsets.UTF_8);

        store().write(ref, content, "image/jpeg", Map.of("processed-by", "lambda-image-processor"));

        StoredObject read = store().read(ref).orElseThrow();
        assertThat(read.content()).isEqualTo(content);
        assertThat(read.contentType()).isEqualTo("image/jpeg");
        assertThat(read.metadata()).containsEntry("processed-by", "lambda-image-processor");
    }

    @Test
    void answersAWriteWithTheETagThatReadsAndListingsReport() {
        ObjectRef ref = new ObjectRef(bucket(), "etag/of-a-write.jpg");

        String first = store().write(ref, new byte[] { 1, 2, 3 }, "image/jpeg", Map.of());
        String second = store().write(ref, new byte[] { 4, 5 }, "image/jpeg", Map.of());

        // the MD5 of the content, as S3 computes it for a single-part upload
        assertThat(first).isEqualTo("5289df737df57326fcdd22597afb1fac");
        assertThat(second).isEqualTo(java.util.HexFormat.of().formatHex(md5(new byte[] { 4, 5 })));
        assertThat(store().read(ref).orElseThrow().eTag()).isEqualTo(second);
        try (java.util.stream.Stream<ListedObject> stream = store().list(bucket(), "etag/")) {
            assertThat(stream.map(ListedObject::eTag)).containsExactly(second);
        }
    }

    protected static byte[] md5(byte[] content) {
        try {
            return java.security.MessageDigest.getInstance("MD5").digest(content);
        }
        catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A read told the head is not worth more answers the object's whole size and eTag, with its head or its whole
     * content ({@link #stopsAfterARefusedHead} says which this store does); a read told to go on answers all of it.
     */
    @Test
    void aReadThatMayStopAfterTheHeadAnswersTheWholeSizeAndETag() {
        ObjectRef ref = new ObjectRef(bucket(), "head/video.mp4");
        byte[] content = new byte[200_000];
        new java.util.Random(7).nextBytes(content);
        String eTag = store().write(ref, content, "video/mp4", Map.of());
        java.util.List<Integer> asked = new java.util.ArrayList<>();

        StoredObject refused = store().read(ref, null, 1_000_000, 512, head -> {
            asked.add(head.length);
            return false;
        }).orElseThrow();
        StoredObject wanted = store().read(ref, null, 1_000_000, 512, head -> true).orElseThrow();

        assertThat(refused.size()).isEqualTo(content.length);
        assertThat(refused.eTag()).isEqualTo(eTag);
        assertThat(refused.content()).isEqualTo(stopsAfterARefusedHead()
                ? java.util.Arrays.copyOf(content, 512) : content);
        assertThat(refused.partial()).isEqualTo(stopsAfterARefusedHead());
        assertThat(asked).isEqualTo(stopsAfterARefusedHead() ? java.util.List.of(512) : java.util.List.of());
        assertThat(wanted.content()).isEqualTo(content);
        assertThat(wanted.partial()).isFalse();
    }

    /** An object no longer than the head is read whole, never cut: there is nothing left to save. */
    @Test
    void aReadThatMayStopAfterTheHeadReadsASmallObjectWhole() {
        ObjectRef ref = new ObjectRef(bucket(), "head/small.txt");
        byte[] content = "short".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        store().write(ref, content, "text/plain", Map.of());

        StoredObject read = store().read(ref, null, 1_000_000, 512, head -> false).orElseThrow();

        assertThat(read.content()).isEqualTo(content);
        assertThat(read.partial()).isFalse();
    }

    /** Whether this store stops a read after a refused head (S3: the download is what costs) or reads it whole. */
    protected boolean stopsAfterARefusedHead() {
        return true;
    }

    @Test
    void overwritesAnExistingObject() {
        ObjectRef ref = new ObjectRef(bucket(), "overwrite/me.jpg");
        store().write(ref, new byte[] { 1, 2, 3 }, "image/jpeg", Map.of());

        store().write(ref, new byte[] { 4, 5 }, "image/jpeg", Map.of());

        assertThat(store().read(ref).orElseThrow().content()).containsExactly(4, 5);
    }

    @Test
    void knowsWhetherAKeyHoldsAnObjectWithoutLoadingIt() {
        ObjectRef full = new ObjectRef(bucket(), "exists/full.jpg");
        ObjectRef empty = new ObjectRef(bucket(), "exists/empty.jpg");
        store().write(full, new byte[5000], "image/jpeg", Map.of());
        store().write(empty, new byte[0], "image/jpeg", Map.of());

        assertThat(store().exists(full)).isTrue();
        assertThat(store().exists(empty)).isTrue();
        assertThat(store().exists(new ObjectRef(bucket(), "exists/missing.jpg"))).isFalse();
    }

    @Test
    void readsTheMetadataOfAnObjectWithoutItsContent() {
        ObjectRef ref = new ObjectRef(bucket(), "metadata/marked.jpg");
        store().write(ref, new byte[5000], "image/jpeg",
                Map.of("processed-by", "lambda-image-processor", "source-version", "e:abc@0A"));

        assertThat(store().metadataOf(ref))
            .contains(Map.of("processed-by", "lambda-image-processor", "source-version", "e:abc@0A"));
        assertThat(store().metadataOf(new ObjectRef(bucket(), "metadata/missing.jpg"))).isEmpty();
    }

    @Test
    void deletesAnObjectSoThatNothingReadsOrListsItAndDeletesAMissingOneWithoutComplaint() {
        ObjectRef ref = new ObjectRef(bucket(), "delete/thumbnail.jpg");
        store().write(ref, new byte[] { 1, 2, 3 }, "image/jpeg", Map.of("processed-by", "lambda-image-processor"));

        store().delete(ref);

        assertThat(store().read(ref)).isEmpty();
        assertThat(store().metadataOf(ref)).isEmpty();
        assertThat(store().exists(ref)).isFalse();
        try (java.util.stream.Stream<ListedObject> listed = store().list(bucket(), "delete/")) {
            assertThat(listed).isEmpty();
        }
        // a redelivery deletes again, and a key never written is no error either
        store().delete(ref);
        store().delete(new ObjectRef(bucket(), "delete/never-written.jpg"));
        // and a later write is read whole, with its own metadata only
        store().write(ref, new byte[] { 4 }, "image/jpeg", Map.of());
        assertThat(store().read(ref).orElseThrow().content()).containsExactly(4);
        assertThat(store().metadataOf(ref)).contains(Map.of());
    }

    @Test
    void readsNothingForAMissingKey() {
        assertThat(store().read(new ObjectRef(bucket(), "no/such/key.jpg"))).isEmpty();
    }

    @Test
    void refusesToLoadAnObjectLargerThanAskedAndSaysItsSize() {
        ObjectRef ref = new ObjectRef(bucket(), "large.jpg");
        store().write(ref, new byte[5000], "image/jpeg", Map.of());

        org.assertj.core.api.Assertions.assertThatExceptionOfType(ObjectTooLargeException.class)
            .isThrownBy(() -> store().read(ref, null, 4999))
            .satisfies(e -> assertThat(e.bytes()).isEqualTo(5000));
        assertThat(store().read(ref, null, 5000).orElseThrow().content()).hasSize(5000);
    }

    @Test
    void keepsAnEmptyObject() {
        ObjectRef ref = new ObjectRef(bucket(), "empty.jpg");

        store().write(ref, new byte[0], "image/jpeg", Map.of());

        assertThat(store().read(ref).orElseThrow().content()).isEmpty();
    }

    @Test
    void listsTheKeysUnderAPrefixWithTheirSizeAndTheETagAReadReturns() {
        for (String key : new String[] { "list/a.jpg", "list/deeper/b.jpg", "list/deeper/c d.jpg", "listless.jpg",
                "other/list/e.jpg" }) {
            store().write(new ObjectRef(bucket(), key), key.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                    "image/jpeg", Map.of());
        }

        java.util.List<ListedObject> listed;
        try (java.util.stream.Stream<ListedObject> stream = store().list(bucket(), "list/")) {
            listed = stream.toList();
        }

        assertThat(listed).extracting(object -> object.ref().key())
            .containsExactlyInAnyOrder("list/a.jpg", "list/deeper/b.jpg", "list/deeper/c d.jpg");
        assertThat(listed).allSatisfy(object -> {
            assertThat(object.size()).isEqualTo(object.ref().key().length());
            assertThat(object.eTag()).isNotNull().isEqualTo(store().read(object.ref()).orElseThrow().eTag());
        });
        try (java.util.stream.Stream<ListedObject> stream = store().list(bucket(), "list")) {
            assertThat(stream.map(object -> object.ref().key())).contains("listless.jpg").doesNotContain(
                    "other/list/e.jpg");
        }
        try (java.util.stream.Stream<ListedObject> stream = store().list(bucket(), "no/such/prefix/")) {
            assertThat(stream).isEmpty();
        }
        // what a backfill shows as its total while it lists
        assertThat(store().count(bucket(), "list/")).isEqualTo(3);
        assertThat(store().count(bucket(), "list")).isEqualTo(4);
        assertThat(store().count(bucket(), "no/such/prefix/")).isZero();
    }
}
