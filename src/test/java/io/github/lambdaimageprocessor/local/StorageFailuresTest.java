package io.github.lambdaimageprocessor.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileStore;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttributeView;
import java.nio.file.attribute.FileStoreAttributeView;

import io.github.lambdaimageprocessor.processing.StorageUnavailableException;
import io.github.lambdaimageprocessor.processing.StorageUnavailableException.Reason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class StorageFailuresTest {

    /** ENOSPC as glibc words it under LANG=de_DE.UTF-8: the JDK passes strerror's text through. */
    private static final IOException GERMAN_FULL = new IOException("Auf dem Gerät ist kein Speicherplatz mehr verfügbar");

    @TempDir
    Path folder;

    @Test
    void aFullDiskIsFoundByAskingTheFileSystemWhateverTheMessage() {
        UncheckedIOException failure = StorageFailures.writeFailed("Failed to write a.jpg", GERMAN_FULL,
                folder.resolve("new/sub"), 3_500_000, existing -> store(false, 200_000));

        assertThat(failure).isInstanceOfSatisfying(StorageUnavailableException.class,
                unavailable -> assertThat(unavailable.reason()).isEqualTo(Reason.OUT_OF_SPACE));
        assertThat(failure).hasMessage("Failed to write a.jpg").hasCause(GERMAN_FULL);
    }

    @Test
    void aReadOnlyMountIsFoundByAskingTheFileSystem() {
        IOException erofs = new FileSystemException(folder + "/.tmp-1.part", null, "Dateisystem nur lesbar");

        UncheckedIOException failure = StorageFailures.writeFailed("Failed to write a.jpg", erofs, folder, 10,
                existing -> store(true, 1L << 40));

        assertThat(failure).isInstanceOfSatisfying(StorageUnavailableException.class,
                unavailable -> assertThat(unavailable.reason()).isEqualTo(Reason.READ_ONLY));
    }

    @Test
    void anotherFailureOnADiskWithRoomStaysWhatItWas() {
        IOException eio = new IOException("Eingabe-/Ausgabefehler");

        UncheckedIOException failure = StorageFailures.writeFailed("Failed to write a.jpg", eio, folder, 3_500_000,
                existing -> store(false, 10L << 30));

        assertThat(failure).isNotInstanceOf(StorageUnavailableException.class).hasCause(eio);
    }

    @Test
    void aFailureTheJdkNamesIsNotAFullDiskEvenOnANearlyFullOne() {
        // EACCES, ENOENT, ENOTDIR, EEXIST have exceptions of their own; ENOSPC, EDQUOT and EROFS do not
        StorageFailures.Probe nearlyFull = existing -> store(false, 200_000);

        for (IOException named : new IOException[] {
                new java.nio.file.NoSuchFileException(folder + "/gone"),
                new java.nio.file.NotDirectoryException(folder + "/a.jpg"),
                new java.nio.file.FileAlreadyExistsException(folder + "/a.jpg") }) {
            UncheckedIOException failure = StorageFailures.writeFailed("Failed to write a.jpg", named, folder, 6_000,
                    nearlyFull);

            assertThat(failure).as(named.toString()).isNotInstanceOf(StorageUnavailableException.class).hasCause(named);
        }
    }

    @Test
    void aDeniedWriteIsPermissionDeniedNamingWhatWasDeniedNotAFullDisk() {
        // EACCES: a folder or lock file left by a command run on the same data folder as another user (sudo)
        IOException eacces = new java.nio.file.AccessDeniedException(folder + "/.metadata/.locks/55");

        UncheckedIOException failure = StorageFailures.writeFailed("Failed to lock the metadata record of "
                + "s3://uploads/a.jpg", eacces, folder, 0, existing -> store(false, 200_000));

        assertThat(failure).isInstanceOfSatisfying(StorageUnavailableException.class,
                unavailable -> assertThat(unavailable.reason()).isEqualTo(Reason.PERMISSION_DENIED));
        assertThat(failure).hasMessage("Failed to lock the metadata record of s3://uploads/a.jpg (permission denied: "
                + folder + "/.metadata/.locks/55)").hasCause(eacces);
    }

    @Test
    void englishMessagesNeedNoQuestion() {
        StorageFailures.Probe unreachable = existing -> {
            throw new AssertionError("the message said it already");
        };

        assertThat(StorageFailures.writeFailed("w", new IOException("No space left on device"), folder, 1, unreachable))
            .isInstanceOfSatisfying(StorageUnavailableException.class,
                    unavailable -> assertThat(unavailable.reason()).isEqualTo(Reason.OUT_OF_SPACE));
        assertThat(StorageFailures.writeFailed("w", new FileSystemException("/x", null, "Read-only file system"),
                folder, 1, unreachable))
            .isInstanceOfSatisfying(StorageUnavailableException.class,
                    unavailable -> assertThat(unavailable.reason()).isEqualTo(Reason.READ_ONLY));
    }

    @Test
    void aFileSystemThatCannotAnswerLeavesTheFailureAsItWas() {
        UncheckedIOException failure = StorageFailures.writeFailed("w", GERMAN_FULL, folder, 1, existing -> {
            throw new IOException("mount table unreadable");
        });

        assertThat(failure).isNotInstanceOf(StorageUnavailableException.class).hasCause(GERMAN_FULL);
    }

    @Test
    void theFolderAskedAboutIsTheNearestOneThatExists() throws IOException {
        Path[] asked = new Path[1];
        StorageFailures.writeFailed("w", GERMAN_FULL, folder.resolve("a/b/c"), 1, existing -> {
            asked[0] = existing;
            return store(false, 1L << 40);
        });

        assertThat(asked[0]).isEqualTo(folder.toAbsolutePath());
    }

    private static FileStore store(boolean readOnly, long usable) {
        return new FileStore() {
            @Override
            public String name() {
                return "test";
            }

            @Override
            public String type() {
                return "test";
            }

            @Override
            public boolean isReadOnly() {
                return readOnly;
            }

            @Override
            public long getTotalSpace() {
                return 1L << 40;
            }

            @Override
            public long getUsableSpace() {
                return usable;
            }

            @Override
            public long getUnallocatedSpace() {
                return usable;
            }

            @Override
            public boolean supportsFileAttributeView(Class<? extends FileAttributeView> type) {
                return false;
            }

            @Override
            public boolean supportsFileAttributeView(String name) {
                return false;
            }

            @Override
            public <V extends FileStoreAttributeView> V getFileStoreAttributeView(Class<V> type) {
                return null;
            }

            @Override
            public Object getAttribute(String attribute) {
                throw new UnsupportedOperationException(attribute);
            }
        };
    }
}
