package io.github.lambdaimageprocessor.local;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AtomicFilesTest {

    /** File systems known to take direct I/O: where the tests' temporary folder is on one, the direct path must run. */
    private static final Set<String> DIRECT_IO_FILE_SYSTEMS = Set.of("ext4", "xfs", "btrfs");

    @TempDir
    Path folder;

    @ParameterizedTest
    @ValueSource(ints = { AtomicFiles.DIRECT_MIN, AtomicFiles.DIRECT_MIN + 1, 3 * 1024 * 1024 + 12_345, 4096 * 300 })
    void writesLargeContentExactly(int size) throws Exception {
        byte[] content = randomBytes(size, size);
        Path target = folder.resolve("sub/photo.jpg");

        AtomicFiles.write(target, content);

        assertThat(Files.readAllBytes(target)).isEqualTo(content);
        assertThat(Files.list(target.getParent())).containsExactly(target);
    }

    @Test
    void aDurableWriteReplacesTheFileWholeAndLeavesNothingElse() throws Exception {
        Path record = folder.resolve("records/a.json");
        AtomicFiles.writeDurably(record, "{\"old\":true}".getBytes(java.nio.charset.StandardCharsets.UTF_8));

        AtomicFiles.writeDurably(record, "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8));

        assertThat(record).hasContent("{}");
        assertThat(Files.list(record.getParent())).containsExactly(record);
    }

    @Test
    void writtenFilesHaveTheModeTheUmaskGivesAnyNewFileNotAnOwnerOnlyOne() throws Exception {
        Path reference = Files.createFile(folder.resolve("made-by-hand.txt"));
        Path small = folder.resolve("record.json");
        Path large = folder.resolve("photo.jpg");

        AtomicFiles.write(small, new byte[] { 1 });
        AtomicFiles.write(large, randomBytes(AtomicFiles.DIRECT_MIN, 7));

        assertThat(Files.getPosixFilePermissions(small)).isEqualTo(Files.getPosixFilePermissions(reference));
        assertThat(Files.getPosixFilePermissions(large)).isEqualTo(Files.getPosixFilePermissions(reference));
    }

    @Test
    void directWriteCutsThePaddingOfTheLastBlockAndReplacesALongerFile() throws Exception {
        Path file = folder.resolve("direct.bin");
        Files.write(file, new byte[0]);
        byte[] content = randomBytes(AtomicFiles.DIRECT_MIN + 777, 7);

        boolean direct;
        try {
            AtomicFiles.writeDirect(file, content);
            direct = true;
        }
        catch (IOException | UnsupportedOperationException e) {
            direct = false;
        }

        FileStore store = Files.getFileStore(folder);
        if (DIRECT_IO_FILE_SYSTEMS.contains(store.type())) {
            assertThat(direct).as("direct I/O on %s", store.type()).isTrue();
        }
        if (direct) {
            assertThat(Files.readAllBytes(file)).isEqualTo(content);
        }
        byte[] shorter = randomBytes(AtomicFiles.DIRECT_MIN + 1, 8);
        AtomicFiles.write(file, shorter);
        assertThat(Files.readAllBytes(file)).isEqualTo(shorter);
    }

    @Test
    void writesLargeContentThroughThePageCacheWhileDirectIoIsOff() throws Exception {
        AtomicFiles.stopDirectIo();
        try {
            byte[] content = randomBytes(2 * AtomicFiles.DIRECT_MIN + 3, 9);
            Path target = folder.resolve("buffered.jpg");

            AtomicFiles.write(target, content);

            assertThat(Files.readAllBytes(target)).isEqualTo(content);
            assertThat(Files.list(folder)).containsExactly(target);
        }
        finally {
            AtomicFiles.resumeDirectIo();
        }
    }

    @Test
    void aRefusedDirectWriteFallsBackToTheCacheAndStopsDirectIo() throws Exception {
        try {
            Path file = Files.createFile(folder.resolve("refused.part"));
            byte[] content = randomBytes(AtomicFiles.DIRECT_MIN, 10);

            AtomicFiles.writeContent(file, content, () -> {
                throw new IOException("Invalid argument (O_DIRECT refused)");
            });

            assertThat(Files.readAllBytes(file)).isEqualTo(content);
            assertThat(AtomicFiles.directIoInUse()).isFalse();
        }
        finally {
            AtomicFiles.resumeDirectIo();
        }
    }

    @Test
    void aFailureOfBothWritesLeavesDirectIoOn() throws Exception {
        try {
            // no such file: the buffered write fails as well, as both do on a full disk
            Path missing = folder.resolve("gone.part");
            byte[] content = randomBytes(AtomicFiles.DIRECT_MIN, 11);

            assertThatThrownBy(() -> AtomicFiles.writeContent(missing, content, () -> {
                throw new IOException("No space left on device");
            })).isInstanceOf(IOException.class);

            assertThat(AtomicFiles.directIoInUse()).isTrue();
        }
        finally {
            AtomicFiles.resumeDirectIo();
        }
    }

    @Test
    void smallContentNeverTriesDirectIo() throws Exception {
        Path file = Files.createFile(folder.resolve("record.json"));
        byte[] content = randomBytes(AtomicFiles.DIRECT_MIN - 1, 12);

        AtomicFiles.writeContent(file, content, () -> {
            throw new AssertionError("direct I/O tried for " + content.length + " bytes");
        });

        assertThat(Files.readAllBytes(file)).isEqualTo(content);
        assertThat(AtomicFiles.directIoInUse()).isTrue();
    }

    private static byte[] randomBytes(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }
}
