package io.github.lambdaimageprocessor.local;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/** Writes files so that a reader sees the old content or the new one, never half of it. */
final class AtomicFiles {

    /**
     * The most written per system call. {@code Files.write} writes 8 KiB at a time, 430 calls for a 3.5 MB photo, which
     * cost 2.3-3.3 CPU ms per write here against 0.8-1.05 in 256 KiB calls (1.05-1.15 in 64 KiB ones). The JDK stages
     * each call through a direct buffer of this size that it keeps per thread.
     */
    private static final int CHUNK = 256 * 1024;

    private AtomicFiles() {
    }

    static void write(Path target, byte[] content) throws IOException {
        Files.createDirectories(target.getParent());
        Path temp = Files.createTempFile(target.getParent(), ".tmp-", ".part");
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                for (int offset = 0; offset < content.length; offset += CHUNK) {
                    ByteBuffer chunk = ByteBuffer.wrap(content, offset, Math.min(CHUNK, content.length - offset));
                    while (chunk.hasRemaining()) {
                        channel.write(chunk);
                    }
                }
            }
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
            catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        finally {
            Files.deleteIfExists(temp);
        }
    }
}
