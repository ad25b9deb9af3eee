package io.github.lambdaimageprocessor.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Stream;

import io.github.lambdaimageprocessor.processing.MetadataRepository;
import io.github.lambdaimageprocessor.processing.ObjectRef;
import io.github.lambdaimageprocessor.processing.ObjectVersion;
import io.github.lambdaimageprocessor.processing.Page;
import io.github.lambdaimageprocessor.processing.ProcessedImage;
import io.github.lambdaimageprocessor.processing.RecentFirst;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Metadata records as JSON files, one per source object, named by a hash of bucket and key so any key maps to a
 * safe file name. Writes are atomic and synced to the disk, so neither a crash nor a power loss leaves half a record;
 * records survive restarts. Conditional
 * writes read, decide and write under a lock per record, held against this process's other threads and against
 * other processes on the same folder (the {@code backfill} command run beside the app): a file lock per stripe, in
 * {@code .locks}.
 */
class FileMetadataRepository implements MetadataRepository, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(FileMetadataRepository.class);

    private final Path folder;

    private final JsonMapper json;

    /** Striped locks: records hashing to the same stripe wait for each other, which is rare and harmless. */
    private final ReentrantLock[] locks = new ReentrantLock[64];

    /** Each stripe's lock file, opened on first use and kept open (a file lock is the process's, not a thread's). */
    private final FileChannel[] lockFiles = new FileChannel[locks.length];

    FileMetadataRepository(Path folder, JsonMapper json) {
        this.folder = folder;
        this.json = json;
        Arrays.setAll(locks, i -> new ReentrantLock());
    }

    @Override
    public boolean save(ProcessedImage image) {
        return writeIf(image, stored -> stored.isEmpty() || image.version() == null
                || image.version().supersedes(stored.get().version()));
    }

    @Override
    public boolean replace(ProcessedImage image, ProcessedImage expected) {
        return writeIf(image, stored -> expected == null ? stored.isEmpty()
                : stored.isPresent() && unchangedSince(stored.get(), expected));
    }

    /**
     * Whether {@code stored} is still {@code expected}: every save sets a new {@code processedAt}, marking sets
     * {@code notifiedAt}.
     */
    private static boolean unchangedSince(ProcessedImage stored, ProcessedImage expected) {
        return stored.processedAt().equals(expected.processedAt())
                && Objects.equals(stored.notifiedAt(), expected.notifiedAt());
    }

    @Override
    public boolean release(ProcessedImage claim, Instant lapsedAt) {
        ObjectRef source = claim.source().ref();
        return whileLocked(source, () -> {
            Optional<ProcessedImage> stored = find(source);
            if (stored.isEmpty() || !unchangedSince(stored.get(), claim)
                    || !ObjectVersion.names(claim.version(), stored.get().version())) {
                return false;
            }
            write(stored.get().withProcessedAt(lapsedAt));
            return true;
        });
    }

    /** Writes the record when the stored one (read under the key's lock) allows it: a conditional write. */
    private boolean writeIf(ProcessedImage image, Predicate<Optional<ProcessedImage>> allowed) {
        ObjectRef source = image.source().ref();
        return whileLocked(source, () -> {
            if (!allowed.test(find(source))) {
                return false;
            }
            write(image);
            return true;
        });
    }

    @Override
    public void markNotified(ObjectRef source, ObjectVersion version, Instant at) {
        whileLocked(source, () -> {
            find(source).filter(stored -> ObjectVersion.names(version, stored.version()))
                .ifPresent(stored -> write(stored.withNotifiedAt(at)));
            return null;
        });
    }

    /** Runs {@code work} holding the record's stripe: its lock in this process, then its lock file. */
    <T> T whileLocked(ObjectRef source, Supplier<T> work) {
        int stripe = stripeOf(source);
        ReentrantLock lock = locks[stripe];
        lock.lock();
        try (FileLock ignored = lockFileOf(stripe).lock()) {
            return work.get();
        }
        catch (IOException e) {
            throw StorageFailures.writeFailed("Failed to lock the metadata record of " + source, e, folder, 0);
        }
        finally {
            lock.unlock();
        }
    }

    private int stripeOf(ObjectRef source) {
        return Math.floorMod(source.hashCode(), locks.length);
    }

    /** Called with the stripe's lock held, so each file is opened once. */
    private FileChannel lockFileOf(int stripe) throws IOException {
        FileChannel channel = lockFiles[stripe];
        if (channel == null) {
            Path lockFolder = Files.createDirectories(folder.resolve(".locks"));
            channel = FileChannel.open(lockFolder.resolve(Integer.toString(stripe)), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE);
            lockFiles[stripe] = channel;
        }
        return channel;
    }

    @Override
    public void close() throws IOException {
        for (int stripe = 0; stripe < locks.length; stripe++) {
            locks[stripe].lock();
            try {
                if (lockFiles[stripe] != null) {
                    lockFiles[stripe].close();
                    lockFiles[stripe] = null;
                }
            }
            finally {
                locks[stripe].unlock();
            }
        }
    }

    /** Writes the record as it is; callers hold its stripe. */
    void write(ProcessedImage image) {
        ObjectRef source = image.source().ref();
        byte[] content = json.writeValueAsBytes(image);
        try {
            AtomicFiles.writeDurably(fileOf(source), content);
        }
        catch (IOException e) {
            throw StorageFailures.writeFailed("Failed to save the metadata record of " + source, e, folder,
                    content.length);
        }
    }

    @Override
    public Optional<ProcessedImage> find(ObjectRef source) {
        Path file = fileOf(source);
        try {
            return read(source, file);
        }
        catch (JacksonException e) {
            // damaged (edited by hand, cut short by a power loss): left in place, it would fail its key for good
            return lockedIfNeeded(source, () -> setAside(source, file));
        }
    }

    /** The record in {@code file}, empty when there is none; a file that does not parse throws JacksonException. */
    private Optional<ProcessedImage> read(ObjectRef source, Path file) {
        if (!Files.exists(file)) {
            // a new key, on every upload of one: cheaper to ask than to have a NoSuchFileException built
            return Optional.empty();
        }
        try {
            return Optional.of(json.readValue(Files.readAllBytes(file), ProcessedImage.class));
        }
        catch (NoSuchFileException e) {
            return Optional.empty();
        }
        catch (IOException e) {
            throw new UncheckedIOException("Failed to read the metadata record of " + source + " from " + file, e);
        }
    }

    /**
     * Moves a damaged record file aside (kept beside the records, out of the listing) and answers that the key has no
     * record, so its next upload or backfill makes one. Read again under the key's lock first: a writer may have
     * replaced it meanwhile.
     */
    private Optional<ProcessedImage> setAside(ObjectRef source, Path file) {
        try {
            return read(source, file);
        }
        catch (JacksonException e) {
            Path aside = file.resolveSibling(file.getFileName() + ".damaged-" + System.currentTimeMillis());
            try {
                Files.move(file, aside, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            }
            catch (IOException moveFailed) {
                throw StorageFailures.writeFailed("Failed to set aside the damaged metadata record of " + source
                        + " (" + file + ")", moveFailed, folder, 0);
            }
            log.warn("Set aside the damaged metadata record of {} as {} ({}): the object has no record now, and its "
                    + "next upload or a backfill makes one", source, aside, e.getOriginalMessage());
            return Optional.empty();
        }
    }

    /** Runs {@code work} under the key's stripe, unless this thread holds it already (a conditional write's read). */
    private <T> T lockedIfNeeded(ObjectRef source, Supplier<T> work) {
        return locks[stripeOf(source)].isHeldByCurrentThread() ? work.get() : whileLocked(source, work);
    }

    /**
     * Reads every record and sorts them: a local run holds a few thousand records at most, which this does in
     * milliseconds. A record replaced while the folder is read is either seen in its old or its new form.
     */
    @Override
    public Page<ProcessedImage> findRecent(int limit, String cursor) {
        List<ProcessedImage> records = new ArrayList<>();
        try (Stream<Path> files = Files.list(folder)) {
            for (Path file : files.filter(file -> file.getFileName().toString().endsWith(".json")).toList()) {
                try {
                    records.add(json.readValue(Files.readAllBytes(file), ProcessedImage.class));
                }
                catch (NoSuchFileException e) {
                    // replaced or removed since the folder was listed
                }
                catch (JacksonException e) {
                    // one damaged file (edited by hand, cut short by a power loss) costs its own record, not the
                    // gallery; reading its key says what is wrong with it
                    log.warn("Skipped the unreadable metadata record {} in the listing: {}", file,
                            e.getOriginalMessage());
                }
                catch (IOException e) {
                    // likewise one file that cannot be read at all: another user's with no read permission (a
                    // backfill run with sudo and umask 077), an I/O error of its own
                    log.warn("Skipped the metadata record {} in the listing, which cannot be read: {}", file,
                            e.toString());
                }
            }
        }
        catch (NoSuchFileException e) {
            // nothing saved yet
        }
        catch (IOException | JacksonException e) {
            throw new UncheckedIOException("Failed to list the metadata records in " + folder,
                    e instanceof IOException io ? io : new IOException(e));
        }
        return RecentFirst.page(records, limit, cursor);
    }

    private Path fileOf(ObjectRef source) {
        return folder.resolve(sha256(source.bucket() + "/" + source.key()) + ".json");
    }

    /** The SHA-256 of the text's UTF-8 bytes in hex: the safe file name of any key, here and for object metadata. */
    static String sha256(String text) {
        try {
            return HexFormat.of()
                .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
