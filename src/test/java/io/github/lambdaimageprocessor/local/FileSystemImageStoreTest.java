package io.github.lambdaimageprocessor.local;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import io.github.lambdaimageprocessor.processing.ImageStore;
import io.github.lambdaimageprocessor.processing.ImageStoreContract;
import io.github.lambdaimageprocessor.processing.InvalidObjectKeyException;
import io.github.lambdaimageprocessor.processing.ObjectRef;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class FileSystemImageStoreTest extends ImageStoreContract {

    @TempDir
    Path root;

    private FileSystemImageStore store;

    @BeforeEach
    void createStore() {
        store = new FileSystemImageStore(root);
    }

    @Override
    protected ImageStore store() {
        return store;
    }

    @Override
    protected String bucket() {
        return "uploads";
    }

    /**
     * Java names files in the locale's encoding: under LANG=C (a container without a locale) that is ASCII, and a key
     * in Cyrillic cannot be a file, so the uploads it names keep to ASCII there.
     */
    @Test
    void takesKeysInAnyScriptOnlyWhereFileNamesAreUnicode() {
        assertThat(FileSystemImageStore.takesAnyScript(java.nio.charset.StandardCharsets.UTF_8)).isTrue();
        assertThat(FileSystemImageStore.takesAnyScript(java.nio.charset.StandardCharsets.US_ASCII)).isFalse();
        assertThat(FileSystemImageStore.takesAnyScript(java.nio.charset.StandardCharsets.ISO_8859_1)).isFalse();
    }

    /**
     * A write renames the file into place, then its properties: the app killed between the two leaves a new thumbnail
     * beside the previous one's properties, which name the previous version. It reads as a file with no properties
     * (as one copied in by hand), not as the earlier thumbnail's version, content type and marker.
     */
    @Test
    void aFileWhoseOwnPropertiesWereNeverWrittenReadsWithoutThoseOfThePreviousWrite() throws Exception {
        ObjectRef thumbnail = new ObjectRef("processed", "thumbnails/a.jpg");
        store.write(thumbnail, new byte[] { 1, 2, 3 }, "image/jpeg",
                Map.of("processed-by", "lambda-image-processor", "source-version", "e:v1@01"));
        // the next version's thumbnail renamed into place; its properties never were
        Files.write(root.resolve("processed/thumbnails/a.jpg"), new byte[] { 4, 5, 6, 7 });

        var read = store.read(thumbnail).orElseThrow();

        assertThat(read.content()).containsExactly(4, 5, 6, 7);
        assertThat(read.metadata()).isEmpty();
        assertThat(read.contentType()).isNull();
        assertThat(store.metadataOf(thumbnail)).contains(Map.of());
    }

    /** The first write of a file cut short so: the file is whole, and has no properties. */
    @Test
    void aFileWithoutPropertiesReadsWithNone() throws Exception {
        Path file = root.resolve("processed/thumbnails/b.jpg");
        Files.createDirectories(file.getParent());
        Files.write(file, new byte[] { 9 });

        assertThat(store.read(new ObjectRef("processed", "thumbnails/b.jpg")).orElseThrow().metadata()).isEmpty();
        assertThat(store.metadataOf(new ObjectRef("processed", "thumbnails/b.jpg"))).contains(Map.of());
    }

    /** Properties whose file is gone (deleted by hand, or lost to a power cut) name no object. */
    @Test
    void propertiesWithoutTheirFileAreNoObject() throws Exception {
        ObjectRef thumbnail = new ObjectRef("processed", "thumbnails/c.jpg");
        store.write(thumbnail, new byte[] { 1 }, "image/jpeg", Map.of("processed-by", "lambda-image-processor"));
        Files.delete(root.resolve("processed/thumbnails/c.jpg"));

        assertThat(store.read(thumbnail)).isEmpty();
        assertThat(store.exists(thumbnail)).isFalse();
        assertThat(store.metadataOf(thumbnail)).isEmpty();
    }

    /**
     * An event without an eTag asks for the object's: a file of 3 GB (sparse here) is answered from its properties,
     * not read into memory, which no array could hold.
     */
    @Test
    void answersTheETagOfAHugeFileWithoutLoadingIt() throws Exception {
        Path file = root.resolve("uploads/huge.jpg");
        Files.createDirectories(file.getParent());
        try (java.io.RandomAccessFile sparse = new java.io.RandomAccessFile(file.toFile(), "rw")) {
            sparse.setLength(3L << 30);
        }
        String hash = FileMetadataRepository.sha256("huge.jpg");
        Path properties = root.resolve(".object-metadata/uploads").resolve(hash.substring(0, 2))
            .resolve(hash + ".properties");
        Files.createDirectories(properties.getParent());
        Files.writeString(properties, "ETag=0123456789abcdef0123456789abcdef\nETag-Of-Size=" + Files.size(file)
                + "\nETag-Of-Last-Modified=" + Files.getLastModifiedTime(file).toString().replace(":", "\\:")
                + "\n");

        assertThat(store.eTagOf(new ObjectRef("uploads", "huge.jpg"), null))
            .contains("0123456789abcdef0123456789abcdef");
        assertThat(store.eTagOf(new ObjectRef("uploads", "none.jpg"), null)).isEmpty();
    }

    @Test
    void keepsObjectKAtRootSlashBucketSlashK() throws Exception {
        store.write(new ObjectRef("uploads", "photos/my photo(1).jpg"), new byte[] { 42 }, "image/jpeg", Map.of());

        assertThat(Files.readAllBytes(root.resolve("uploads/photos/my photo(1).jpg"))).containsExactly(42);
    }

    @Test
    void writesContentOfSeveralWriteCallsWholeAndReplacesALongerFileWithAShorterOne() throws Exception {
        // given more than two of the 256 KiB system calls a write is made of, and not a multiple of them
        byte[] photo = new byte[600_001];
        new java.util.Random(16).nextBytes(photo);
        ObjectRef ref = new ObjectRef("uploads", "large/photo.jpg");

        store.write(ref, photo, "image/jpeg", Map.of());

        assertThat(Files.readAllBytes(root.resolve("uploads/large/photo.jpg"))).isEqualTo(photo);
        assertThat(store.read(ref).orElseThrow().eTag()).isEqualTo(java.util.HexFormat.of()
            .formatHex(java.security.MessageDigest.getInstance("MD5").digest(photo)));

        // a shorter version leaves nothing of the longer one behind
        store.write(ref, new byte[] { 5, 6 }, "image/jpeg", Map.of());

        assertThat(Files.readAllBytes(root.resolve("uploads/large/photo.jpg"))).containsExactly(5, 6);
    }

    @Test
    void readsAFileCopiedIntoTheBucketFolderByHand() throws Exception {
        Files.createDirectories(root.resolve("uploads/by-hand"));
        Files.write(root.resolve("uploads/by-hand/cat.jpg"), new byte[] { 7 });

        assertThat(store.read(new ObjectRef("uploads", "by-hand/cat.jpg")).orElseThrow().content()).containsExactly(7);
    }

    @Test
    void takesTheETagFromWhatItsWriteRecordedInsteadOfHashingTheFileAgain() throws Exception {
        ObjectRef ref = new ObjectRef("uploads", "recorded/photo.jpg");
        store.write(ref, new byte[] { 1, 2, 3 }, "image/jpeg", Map.of());
        // what a second hash of the file cannot produce: only the recorded value can come back
        Path properties = sidecarOf("uploads", "recorded/photo.jpg");
        Files.writeString(properties, Files.readString(properties).replace("5289df737df57326fcdd22597afb1fac",
                "recorded"));

        assertThat(store.read(ref).orElseThrow().eTag()).isEqualTo("recorded");
        try (java.util.stream.Stream<io.github.lambdaimageprocessor.processing.ListedObject> listed = store
            .list("uploads", "recorded/")) {
            assertThat(listed.map(io.github.lambdaimageprocessor.processing.ListedObject::eTag))
                .containsExactly("recorded");
        }
    }

    @Test
    void keepsTheMetadataOfAKeyAndOfAKeyBelowItsOldSidecarNameApart() {
        // sidecars used to be named "<key>.properties": the folder that "x.jpg.properties/y.jpg" needs
        ObjectRef below = new ObjectRef("uploads", "x.jpg.properties/y.jpg");
        ObjectRef key = new ObjectRef("uploads", "x.jpg");

        store.write(below, new byte[] { 1 }, "image/jpeg", Map.of("who", "below"));
        store.write(key, new byte[] { 2 }, "image/png", Map.of("who", "key"));

        assertThat(store.read(key).orElseThrow().metadata()).containsEntry("who", "key");
        assertThat(store.read(key).orElseThrow().contentType()).isEqualTo("image/png");
        assertThat(store.read(below).orElseThrow().metadata()).containsEntry("who", "below");
        try (java.util.stream.Stream<io.github.lambdaimageprocessor.processing.ListedObject> listed = store
            .list("uploads", "x.jpg")) {
            assertThat(listed.map(object -> object.ref().key())).containsExactly("x.jpg", "x.jpg.properties/y.jpg");
        }
    }

    @Test
    void readsTheSidecarAnEarlierReleaseWroteUnderTheKeysOwnName() throws Exception {
        Files.createDirectories(root.resolve("uploads/old"));
        Files.write(root.resolve("uploads/old/cat.jpg"), new byte[] { 7 });
        Files.createDirectories(root.resolve(".object-metadata/uploads/old"));
        Files.writeString(root.resolve(".object-metadata/uploads/old/cat.jpg.properties"),
                "Content-Type=image/jpeg\nx-amz-meta-processed-by=lambda-image-processor\n");

        assertThat(store.read(new ObjectRef("uploads", "old/cat.jpg")).orElseThrow().metadata())
            .containsEntry("processed-by", "lambda-image-processor");
    }

    private Path sidecarOf(String bucket, String key) {
        String hash = java.util.HexFormat.of().formatHex(sha256(key));
        return root.resolve(".object-metadata").resolve(bucket).resolve(hash.substring(0, 2))
            .resolve(hash + ".properties");
    }

    private static byte[] sha256(String key) {
        try {
            return java.security.MessageDigest.getInstance("SHA-256")
                .digest(key.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void hashesAFileChangedByHandInsteadOfTrustingTheETagItsLastWriteRecorded() throws Exception {
        ObjectRef ref = new ObjectRef("uploads", "by-hand/replaced.jpg");
        String written = store.write(ref, new byte[] { 1, 2, 3 }, "image/jpeg", Map.of());
        Path file = root.resolve("uploads/by-hand/replaced.jpg");
        // same size, and a time the write did not leave
        Files.write(file, new byte[] { 7, 8, 9 });
        Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.fromMillis(1_000_000));

        String expected = java.util.HexFormat.of().formatHex(md5(new byte[] { 7, 8, 9 }));
        assertThat(expected).isNotEqualTo(written);
        assertThat(store.read(ref).orElseThrow().eTag()).isEqualTo(expected);
        try (java.util.stream.Stream<io.github.lambdaimageprocessor.processing.ListedObject> listed = store
            .list("uploads", "by-hand/")) {
            assertThat(listed.map(io.github.lambdaimageprocessor.processing.ListedObject::eTag))
                .containsExactly(expected);
        }
    }

    @ParameterizedTest(name = "key \"{0}\"")
    @ValueSource(strings = { "../escape.jpg", "a/../../escape.jpg", "/etc/passwd", "a/./b.jpg", "a//b.jpg",
            "folder/", "..", "back\\slash.jpg", "nul\0.jpg", "a/.tmp-123.part", ".tmp-x.part" })
    void refusesKeysThatWouldEscapeOrCannotBeFiles(String key) {
        ObjectRef ref = new ObjectRef("uploads", key);

        assertThatExceptionOfType(InvalidObjectKeyException.class).isThrownBy(() -> store.read(ref));
        assertThatExceptionOfType(InvalidObjectKeyException.class)
            .isThrownBy(() -> store.write(ref, new byte[] { 1 }, "image/jpeg", Map.of()));
        assertThat(root.getParent().resolve("escape.jpg")).doesNotExist();
    }

    @Test
    void refusesKeysThatFilesAndFoldersCannotHoldSideBySideAsBadInput() {
        store.write(new ObjectRef("uploads", "a.jpg"), new byte[] { 1 }, "image/jpeg", Map.of());
        store.write(new ObjectRef("uploads", "dir/c.jpg"), new byte[] { 2 }, "image/jpeg", Map.of());

        assertThatExceptionOfType(InvalidObjectKeyException.class)
            .isThrownBy(() -> store.write(new ObjectRef("uploads", "a.jpg/b.jpg"), new byte[] { 3 }, "image/jpeg",
                    Map.of()))
            .withMessageContaining("is where its folder would be");
        assertThatExceptionOfType(InvalidObjectKeyException.class)
            .isThrownBy(() -> store.write(new ObjectRef("uploads", "dir"), new byte[] { 4 }, "image/jpeg", Map.of()))
            .withMessageContaining("other keys use it as a folder");
        assertThat(store.read(new ObjectRef("uploads", "a.jpg/b.jpg"))).isEmpty();
        assertThat(store.read(new ObjectRef("uploads", "dir"))).isEmpty();
        assertThat(store.read(new ObjectRef("uploads", "a.jpg")).orElseThrow().content()).containsExactly(1);
    }

    @Test
    void refusesAPathSegmentLongerThanAFileNameCanBe() {
        ObjectRef longName = new ObjectRef("uploads", "x".repeat(300) + ".jpg");

        assertThatExceptionOfType(InvalidObjectKeyException.class)
            .isThrownBy(() -> store.write(longName, new byte[] { 1 }, "image/jpeg", Map.of()))
            .withMessageContaining("longer than 244 bytes");
    }

    @Test
    void refusesAKeyLongerThanS3sLimitBeforeMakingAnyFolderAndWithoutEchoingIt() {
        // 25 segments of 200 bytes: each a valid file name, together past what a path may be
        ObjectRef deep = new ObjectRef("uploads", String.join("/", java.util.Collections.nCopies(25, "c".repeat(200))));
        ObjectRef huge = new ObjectRef("uploads", "k/".repeat(100_000) + "k.jpg");

        assertThatExceptionOfType(InvalidObjectKeyException.class)
            .isThrownBy(() -> store.write(deep, new byte[] { 1 }, "image/jpeg", Map.of()))
            .withMessageEndingWith("(5024 bytes) is longer than S3's limit of 1024 bytes");
        assertThatExceptionOfType(InvalidObjectKeyException.class).isThrownBy(() -> store.read(huge))
            .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(300));
        assertThat(root.resolve("uploads/c")).doesNotExist();
    }

    @Test
    void refusesABucketNameThatIsAPath() {
        assertThatExceptionOfType(InvalidObjectKeyException.class)
            .isThrownBy(() -> store.read(new ObjectRef("../etc", "passwd")));
    }

    @Test
    void listingABucketWithoutAFolderFailsAsS3DoesForNoSuchBucket() {
        org.assertj.core.api.Assertions.assertThatExceptionOfType(java.io.UncheckedIOException.class)
            .isThrownBy(() -> store().list("no-such-bucket", ""))
            .withMessageContaining("no folder for bucket 'no-such-bucket'");
    }

    /** A local file costs little to read whole: the folder store does not stop after the head. */
    @Override
    protected boolean stopsAfterARefusedHead() {
        return false;
    }
}
