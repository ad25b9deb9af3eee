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

    @Test
    void keepsObjectKAtRootSlashBucketSlashK() throws Exception {
        store.write(new ObjectRef("uploads", "photos/my photo(1).jpg"), new byte[] { 42 }, "image/jpeg", Map.of());

        assertThat(Files.readAllBytes(root.resolve("uploads/photos/my photo(1).jpg"))).containsExactly(42);
    }

    @Test
    void readsAFileCopiedIntoTheBucketFolderByHand() throws Exception {
        Files.createDirectories(root.resolve("uploads/by-hand"));
        Files.write(root.resolve("uploads/by-hand/cat.jpg"), new byte[] { 7 });

        assertThat(store.read(new ObjectRef("uploads", "by-hand/cat.jpg")).orElseThrow().content()).containsExactly(7);
    }

    @ParameterizedTest(name = "key \"{0}\"")
    @ValueSource(strings = { "../escape.jpg", "a/../../escape.jpg", "/etc/passwd", "a/./b.jpg", "a//b.jpg",
            "folder/", "..", "back\\slash.jpg", "nul\0.jpg" })
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
    void refusesABucketNameThatIsAPath() {
        assertThatExceptionOfType(InvalidObjectKeyException.class)
            .isThrownBy(() -> store.read(new ObjectRef("../etc", "passwd")));
    }
}
