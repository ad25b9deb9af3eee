package io.github.lambdaimageprocessor.local;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.BiPredicate;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes files so that a reader sees the old content or the new one, never half of it.
 *
 * <p>Content of {@value #DIRECT_MIN} bytes or more (an upload, not a record) is written with direct I/O, as MinIO
 * writes object data: the bytes go from one reused buffer to the disk without passing through the page cache. A
 * buffered write of a new 3.5 MB file cost 9-11 CPU ms on the build machine, nearly all of it the kernel giving the
 * page cache fresh memory, against 0.5-0.6 ms direct (1.8 ms wall); a photo just stored is rarely read soon. When a
 * direct write fails and a buffered one of the same content works (a file system that refuses direct I/O: tmpfs on
 * older kernels, some network file systems), every later write is buffered.
 */
final class AtomicFiles {

    private static final Logger log = LoggerFactory.getLogger(AtomicFiles.class);

    /**
     * The most written per buffered system call. {@code Files.write} writes 8 KiB at a time, 430 calls for a 3.5 MB
     * photo, which cost 2.3-3.3 CPU ms per write here against 0.8-1.05 in 256 KiB calls (1.05-1.15 in 64 KiB ones). The
     * JDK stages each call through a direct buffer of this size that it keeps per thread.
     */
    private static final int CHUNK = 256 * 1024;

    static final int DIRECT_MIN = 1024 * 1024;

    /** The size of each direct write, and of the aligned buffers kept for them. */
    private static final int DIRECT_CHUNK = 1024 * 1024;

    /** Buffers kept between writes: enough for the writes a small machine runs at once, 1 MiB each. */
    private static final BlockingQueue<ByteBuffer> SPARE_BUFFERS = new ArrayBlockingQueue<>(4);

    /**
     * {@code com.sun.nio.file.ExtendedOpenOption.DIRECT}, the JDK's one way to ask for direct I/O, looked up by name:
     * named in the code, javac warned at every build that it is internal proprietary API. Null on a JDK without it,
     * where every write is buffered.
     */
    private static final OpenOption DIRECT = directOption();

    private static OpenOption directOption() {
        try {
            return (OpenOption) Class.forName("com.sun.nio.file.ExtendedOpenOption").getField("DIRECT").get(null);
        }
        catch (ReflectiveOperationException | ClassCastException | LinkageError e) {
            return null;
        }
    }

    private static volatile boolean directRefused;

    /** The file system's block size, which direct writes align to, read once: it costs a walk of the mount table. */
    private static volatile int blockSize;

    private AtomicFiles() {
    }

    static void write(Path target, byte[] content) throws IOException {
        write(target, content, false);
    }

    /**
     * Like {@link #write(Path, byte[])}, and the content and the rename are on the disk before it returns (the file and
     * its folder synced): a record must survive a power loss too, where an unsynced new file can come back empty.
     */
    static void writeDurably(Path target, byte[] content) throws IOException {
        write(target, content, true);
    }

    private static void write(Path target, byte[] content, boolean durably) throws IOException {
        // createDirectories throws and catches an exception, with its stack trace, for a folder that exists: the
        // folder of nearly every write
        if (!Files.isDirectory(target.getParent())) {
            Files.createDirectories(target.getParent());
        }
        Path temp = createTemporary(target.getParent());
        try {
            writeContent(temp, content, () -> writeDirect(temp, content));
            if (durably) {
                try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                    channel.force(true);
                }
            }
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
            catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            if (durably) {
                syncFolder(target.getParent());
            }
        }
        finally {
            Files.deleteIfExists(temp);
        }
    }

    /**
     * Syncs a folder's entries (the rename). The write has happened by then: a file system that cannot sync a folder
     * (Windows, some network and FUSE mounts) costs the rename's durability, said once in the log, never the write.
     */
    private static void syncFolder(Path folder) {
        try (FileChannel channel = FileChannel.open(folder, StandardOpenOption.READ)) {
            channel.force(true);
        }
        catch (IOException e) {
            if (!folderSyncRefused) {
                folderSyncRefused = true;
                log.info("Folders cannot be synced under {} ({}): a record is written, but its rename may not "
                        + "survive a power loss", folder, e.toString());
            }
        }
    }

    private static volatile boolean folderSyncRefused;

    /** Whether the file is one a write makes on the way ({@code .tmp-<random>.part}), which listings leave out. */
    static boolean isTemporary(Path file) {
        return isTemporaryName(file.getFileName().toString());
    }

    /** Whether a file or path segment of this name is one a write makes on the way. */
    static boolean isTemporaryName(String name) {
        return name.startsWith(".tmp-") && name.endsWith(".part");
    }

    /** A temporary file as a walk found it, with its last write and its size then. */
    record Leftover(Path file, FileTime modified, long size) {
    }

    /**
     * The temporary files under {@code root} last written before {@code before}: those of writes that never renamed
     * them (the process was killed between the two), and those of writes still at work in another process on the same
     * folder, which the caller tells apart by waiting ({@link #removeIfUnchanged}). Few: every write that ends removes
     * its own.
     */
    static List<Leftover> leftoversBefore(Path root, Instant before) throws IOException {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        List<Leftover> found = new ArrayList<>();
        // a file renamed or removed by its write since its folder was read, or a folder the app may not read: no write
        // of this app's is left there
        walk(root, (file, attributes) -> {
            if (isTemporary(file) && attributes.isRegularFile()
                    && attributes.lastModifiedTime().toInstant().isBefore(before)) {
                found.add(new Leftover(file, attributes.lastModifiedTime(), attributes.size()));
            }
            return true;
        }, unreadable -> {
        });
        return found;
    }

    /**
     * Walks the files under {@code folder}, one open folder per level, handing each with its attributes to
     * {@code file} until it answers false. A file or folder that cannot be read goes to {@code unreadable} and the walk
     * goes on with the rest; one removed since its folder was read is passed over, as nothing.
     *
     * @throws IOException when {@code folder} itself cannot be read
     */
    static void walk(Path folder, BiPredicate<Path, BasicFileAttributes> file, Consumer<IOException> unreadable)
            throws IOException {
        Files.walkFileTree(folder, new SimpleFileVisitor<>() {

            @Override
            public FileVisitResult visitFile(Path path, BasicFileAttributes attributes) {
                return file.test(path, attributes) ? FileVisitResult.CONTINUE : FileVisitResult.TERMINATE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path path, IOException e) {
                if (!(e instanceof NoSuchFileException)) {
                    unreadable.accept(e);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path path, IOException e) {
                if (e != null) {
                    unreadable.accept(e);
                }
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /** Deletes the leftover unless it was written since it was found; answers whether it did. */
    static boolean removeIfUnchanged(Leftover leftover) throws IOException {
        try {
            if (!Files.getLastModifiedTime(leftover.file(), LinkOption.NOFOLLOW_LINKS).equals(leftover.modified())) {
                return false;
            }
            return Files.deleteIfExists(leftover.file());
        }
        catch (NoSuchFileException e) {
            return false;
        }
    }

    /**
     * A new empty file beside the target, named {@code .tmp-<random>.part} (listings leave such names out). Made with
     * {@code createFile}, so the process's umask decides its mode, as for any file the user makes; a temporary file
     * ({@code createTempFile}) is owner-only, and the rename would have left every object and record so.
     */
    private static Path createTemporary(Path folder) throws IOException {
        while (true) {
            Path temp = folder.resolve(".tmp-" + Long.toUnsignedString(
                    java.util.concurrent.ThreadLocalRandom.current().nextLong()) + ".part");
            try {
                return Files.createFile(temp);
            }
            catch (java.nio.file.FileAlreadyExistsException e) {
                // another write drew the same name: draw again
            }
        }
    }

    /**
     * Writes the content into the existing empty {@code file}: large content with {@code direct} while direct I/O is
     * in use, falling back to a buffered write when it fails; direct I/O stops only if that buffered write then works.
     */
    static void writeContent(Path file, byte[] content, DirectWrite direct) throws IOException {
        if (content.length >= DIRECT_MIN && !directRefused) {
            try {
                direct.run();
            }
            catch (IOException | UnsupportedOperationException e) {
                // a full disk fails the buffered write too, which leaves direct I/O on
                writeBuffered(file, content);
                refuse(file, e);
            }
        }
        else {
            writeBuffered(file, content);
        }
    }

    @FunctionalInterface
    interface DirectWrite {
        void run() throws IOException;
    }

    static void writeBuffered(Path file, byte[] content) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            for (int offset = 0; offset < content.length; offset += CHUNK) {
                writeFully(channel, ByteBuffer.wrap(content, offset, Math.min(CHUNK, content.length - offset)));
            }
        }
    }

    /**
     * Writes the content into the existing empty {@code file} with direct I/O: whole blocks from an aligned buffer, the
     * last one padded with zeros, then the file cut to the content's length. Throws when the file system refuses direct
     * I/O, at the open or (some file systems) at the first write, as for any other failure.
     */
    static void writeDirect(Path file, byte[] content) throws IOException {
        int block = blockSize;
        if (block == 0) {
            long size = Files.getFileStore(file).getBlockSize();
            if (size <= 0 || size > DIRECT_CHUNK || DIRECT_CHUNK % size != 0) {
                throw new IOException("direct I/O needs a block size that divides " + DIRECT_CHUNK + ", not " + size);
            }
            block = (int) size;
            blockSize = block;
        }
        ByteBuffer buffer = takeBuffer(block);
        if (DIRECT == null) {
            throw new UnsupportedOperationException("this JDK has no com.sun.nio.file.ExtendedOpenOption.DIRECT");
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE, DIRECT)) {
            for (int offset = 0; offset < content.length; offset += DIRECT_CHUNK) {
                int length = Math.min(DIRECT_CHUNK, content.length - offset);
                int padded = (length + block - 1) / block * block;
                buffer.clear().put(content, offset, length);
                while (buffer.position() < padded) {
                    buffer.put((byte) 0);
                }
                writeFully(channel, buffer.flip());
            }
            channel.truncate(content.length);
        }
        finally {
            SPARE_BUFFERS.offer(buffer);
        }
    }

    private static ByteBuffer takeBuffer(int block) {
        ByteBuffer spare = SPARE_BUFFERS.poll();
        if (spare != null && spare.alignmentOffset(0, block) == 0) {
            return spare;
        }
        return ByteBuffer.allocateDirect(DIRECT_CHUNK + block).alignedSlice(block).limit(DIRECT_CHUNK).slice();
    }

    /** For tests: whether the writes still try direct I/O, and a way to make them stop, as a refusal does. */
    static boolean directIoInUse() {
        return !directRefused;
    }

    static void stopDirectIo() {
        directRefused = true;
    }

    static void resumeDirectIo() {
        directRefused = false;
    }

    private static void refuse(Path file, Exception e) {
        if (!directRefused) {
            directRefused = true;
            log.info("Direct I/O refused for {} ({}); large files are written through the page cache", file.getParent(),
                    e.toString());
        }
    }

    private static void writeFully(FileChannel channel, ByteBuffer bytes) throws IOException {
        while (bytes.hasRemaining()) {
            channel.write(bytes);
        }
    }
}
