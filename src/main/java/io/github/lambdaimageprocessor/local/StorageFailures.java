package io.github.lambdaimageprocessor.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileStore;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;

import io.github.lambdaimageprocessor.processing.StorageUnavailableException;
import io.github.lambdaimageprocessor.processing.StorageUnavailableException.Reason;

/**
 * Tells a full or read-only disk, and a file the process may not write, from any other failed write. The JDK gives both as a plain {@link IOException} whose
 * message is the C library's {@code strerror}, which follows the process's locale ("No space left on device", "Kein
 * Speicherplatz mehr verfügbar"), so the English text is only the first test: the file system is then asked itself.
 */
final class StorageFailures {

    /** Less free space than this beyond the write's own size counts as full: ENOSPC leaves a block or two at most. */
    static final long FULL_MARGIN = 1024 * 1024;

    /** How a file system is asked about itself; tests give their own. */
    @FunctionalInterface
    interface Probe {
        FileStore storeOf(Path existing) throws IOException;
    }

    private StorageFailures() {
    }

    /** The failure of writing {@code bytes} into {@code folder}, as a {@link StorageUnavailableException} when it is one. */
    static UncheckedIOException writeFailed(String message, IOException e, Path folder, long bytes) {
        return writeFailed(message, e, folder, bytes, Files::getFileStore);
    }

    static UncheckedIOException writeFailed(String message, IOException e, Path folder, long bytes, Probe probe) {
        if (e instanceof AccessDeniedException denied) {
            // the file or folder named is not this user's to write: most often one a command run as another user on
            // the same folder (sudo ... backfill) made; the one lock file it made fails every key of its stripe
            return new StorageUnavailableException(Reason.PERMISSION_DENIED,
                    message + " (permission denied: " + denied.getFile() + ")", e);
        }
        Reason reason = reasonOf(e, folder, bytes, probe);
        return reason == null ? new UncheckedIOException(message, e) : new StorageUnavailableException(reason, message, e);
    }

    private static Reason reasonOf(IOException e, Path folder, long bytes, Probe probe) {
        String text = String.valueOf(e.getMessage());
        if (text.contains("No space left on device") || text.contains("Disk quota exceeded")) {
            return Reason.OUT_OF_SPACE;
        }
        if (text.contains("Read-only file system")) {
            return Reason.READ_ONLY;
        }
        if (e.getClass() != IOException.class && e.getClass() != FileSystemException.class) {
            // the JDK names what it knows (AccessDeniedException, NoSuchFileException...): never ENOSPC, EDQUOT or
            // EROFS, which come as these two, so a denied write on a nearly full disk is not called a full disk
            return null;
        }
        try {
            FileStore store = probe.storeOf(nearestExisting(folder));
            if (store.isReadOnly()) {
                return Reason.READ_ONLY;
            }
            if (store.getUsableSpace() < bytes + FULL_MARGIN) {
                return Reason.OUT_OF_SPACE;
            }
        }
        catch (IOException | RuntimeException unknown) {
            // the file system cannot say: the failure stays what it was
        }
        return null;
    }

    private static Path nearestExisting(Path folder) {
        Path existing = folder.toAbsolutePath();
        while (existing.getParent() != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        return existing;
    }
}
