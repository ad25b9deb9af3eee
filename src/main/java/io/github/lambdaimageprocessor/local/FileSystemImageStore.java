package io.github.lambdaimageprocessor.local;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;

import io.github.lambdaimageprocessor.processing.ImageStore;
import io.github.lambdaimageprocessor.processing.InvalidObjectKeyException;
import io.github.lambdaimageprocessor.processing.ListedObject;
import io.github.lambdaimageprocessor.processing.ObjectRef;
import io.github.lambdaimageprocessor.processing.ObjectTooLargeException;
import io.github.lambdaimageprocessor.processing.StoredObject;

import static io.github.lambdaimageprocessor.processing.ObjectRef.shown;

/**
 * Buckets as folders: the object with key K in bucket B is the file {@code <root>/B/K}. Content type and user
 * metadata live beside it under {@code <root>/.object-metadata/B/HH/H.properties}, H the SHA-256 of K in hex and HH its
 * first two digits (bucket names cannot start with a dot, so that folder never clashes with a bucket). A name made of
 * the key itself ({@code K.properties}, as releases before 2026-12-04 wrote, and still read) is the folder another key
 * may need ({@code K.properties/x.jpg}).
 *
 * <p>The eTag is the MD5 of the content, as S3 computes it for a single-part upload. A write records it in the
 * properties with the file's size and modification time, so reads and listings take it from there instead of hashing
 * the file again; a file changed by other means (copied in, edited) no longer matches and is hashed.
 */
class FileSystemImageStore implements ImageStore {

    private static final String METADATA_FOLDER = ".object-metadata";

    private static final String CONTENT_TYPE = "Content-Type";

    private static final String USER_PREFIX = "x-amz-meta-";

    private static final String ETAG = "ETag";

    /** The size and modification time of the file the recorded {@link #ETAG} is the MD5 of. */
    private static final String ETAG_SIZE = "ETag-Of-Size";

    private static final String ETAG_MODIFIED = "ETag-Of-Last-Modified";

    private static final int MAX_SEGMENT_BYTES = 255 - ".properties".length();

    private final Path root;

    FileSystemImageStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    /** Folders keep one version per key, so {@code versionId} is ignored. */
    @Override
    public Optional<StoredObject> read(ObjectRef ref, String versionId, long maxBytes) {
        Path file = fileOf(root, ref);
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            if (attributes.isRegularFile() && attributes.size() > maxBytes) {
                throw new ObjectTooLargeException(ref, attributes.size());
            }
            FileTime modified = attributes.lastModifiedTime();
            byte[] content = Files.readAllBytes(file);
            Properties properties = propertiesOf(ref, content.length, modified);
            Map<String, String> metadata = userMetadata(properties);
            String eTag = recordedETag(properties, content.length, modified);
            // a write that replaced the file while it was read leaves another time behind
            boolean unchanged = eTag != null && Files.getLastModifiedTime(file).equals(modified);
            return Optional.of(new StoredObject(content, properties.getProperty(CONTENT_TYPE), metadata,
                    unchanged ? eTag : md5(content)));
        }
        catch (NoSuchFileException e) {
            return Optional.empty();
        }
        catch (IOException e) {
            if (Files.isDirectory(file) || fileOnTheWay(file) != null) {
                // S3 could hold such a key; as files it cannot exist, so there is no such object here
                return Optional.empty();
            }
            throw new UncheckedIOException("Failed to read " + ref + " from " + file, e);
        }
    }

    /**
     * The eTag its properties recorded for this very file, else the MD5 of the file read in chunks: never the whole
     * file in memory, which the default (a read) would load whatever its size.
     */
    @Override
    public Optional<String> eTagOf(ObjectRef ref, String versionId) {
        Path file = fileOf(root, ref);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        return Optional.ofNullable(listed(root.resolve(ref.bucket()), ref).eTag());
    }

    /** The user metadata of the file's own properties, without reading the file. */
    @Override
    public Optional<Map<String, String>> metadataOf(ObjectRef ref) {
        Path file = fileOf(root, ref);
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            if (!attributes.isRegularFile()) {
                return Optional.empty();
            }
            return Optional.of(userMetadata(propertiesOf(ref, attributes.size(), attributes.lastModifiedTime())));
        }
        catch (NoSuchFileException e) {
            return Optional.empty();
        }
        catch (IOException e) {
            if (fileOnTheWay(file) != null) {
                return Optional.empty();
            }
            throw new UncheckedIOException("Failed to read the metadata of " + ref + " from " + file, e);
        }
    }

    private static Map<String, String> userMetadata(Properties properties) {
        Map<String, String> metadata = new HashMap<>();
        properties.stringPropertyNames()
            .stream()
            .filter(name -> name.startsWith(USER_PREFIX))
            .forEach(name -> metadata.put(name.substring(USER_PREFIX.length()), properties.getProperty(name)));
        return metadata;
    }

    /**
     * Walks the bucket folder below the deepest folder the prefix names, in key order. The eTag is the MD5 of the
     * content, as S3 computes it for a single-part upload (and as local uploads record it), so a backfill recognises
     * what is already recorded: taken from the properties the store wrote, else computed by reading the file, a fair
     * price for files put there by hand. Files the store writes on the way ({@code .tmp-*.part}) are left out.
     */
    @Override
    public Stream<ListedObject> list(String bucket, String prefix) {
        Path bucketFolder = root.resolve(bucket);
        return keys(bucket, prefix).map(key -> listed(bucketFolder, new ObjectRef(bucket, key)));
    }

    /** The keys {@link #list} lists, without reading a file (listing one without recorded properties hashes it). */
    @Override
    public long count(String bucket, String prefix) {
        try (Stream<String> keys = keys(bucket, prefix)) {
            return keys.count();
        }
    }

    private Stream<String> keys(String bucket, String prefix) {
        if (bucket.startsWith(".") || bucket.contains("/") || bucket.contains("\\")) {
            throw new InvalidObjectKeyException("bucket name '" + bucket + "' cannot be stored locally");
        }
        Path bucketFolder = root.resolve(bucket);
        if (!Files.isDirectory(bucketFolder)) {
            // as S3 answers NoSuchBucket: an empty listing would pass a misspelt bucket or root off as an empty bucket
            throw new UncheckedIOException(new java.nio.file.NoSuchFileException(bucketFolder.toString(), null,
                    "no folder for bucket '" + bucket + "': is the bucket name (UPLOAD_BUCKET) or "
                            + "image-processor.local.root (" + root + ") right?"));
        }
        String folderPrefix = prefix.contains("/") ? prefix.substring(0, prefix.lastIndexOf('/')) : "";
        Path start = folderPrefix.isEmpty() ? bucketFolder : bucketFolder.resolve(folderPrefix).normalize();
        if (!start.startsWith(bucketFolder) || !Files.isDirectory(start)) {
            return Stream.empty();
        }
        Stream<Path> files;
        try {
            files = Files.walk(start);
        }
        catch (IOException e) {
            throw new UncheckedIOException("Failed to list bucket folder " + bucketFolder, e);
        }
        return files.filter(Files::isRegularFile)
            .filter(file -> !AtomicFiles.isTemporary(file))
            .map(file -> keyOf(bucketFolder, file))
            .filter(key -> key.startsWith(prefix))
            .sorted();
    }

    /** The key of a file of the bucket's folder: its path below the folder, '/' between segments. */
    private static String keyOf(Path bucketFolder, Path file) {
        return bucketFolder.relativize(file).toString().replace(java.io.File.separatorChar, '/');
    }

    /** An object of a bucket's folder and when its file was last written. */
    record Written(ObjectRef ref, java.time.Instant modified) {
    }

    /**
     * Hands each object of a bucket last written before {@code before} to {@code action}, in no order, as a walk of
     * the folder finds it: one open folder per level, never the whole list of keys (which {@link #list} sorts). Stops
     * when the action answers false. A folder or file the walk cannot read goes to {@code unreadable} and the walk goes
     * on with the rest of the bucket. Nothing when the bucket has no folder yet.
     */
    void forEachWrittenBefore(String bucket, java.time.Instant before, java.util.function.Predicate<Written> action,
            java.util.function.Consumer<IOException> unreadable) {
        Path bucketFolder = root.resolve(bucket);
        if (!Files.isDirectory(bucketFolder)) {
            return;
        }
        try {
            AtomicFiles.walk(bucketFolder, (file, attributes) -> {
                java.time.Instant modified = attributes.lastModifiedTime().toInstant();
                if (AtomicFiles.isTemporary(file) || !attributes.isRegularFile() || !modified.isBefore(before)) {
                    return true;
                }
                return action.test(new Written(new ObjectRef(bucket, keyOf(bucketFolder, file)), modified));
            }, unreadable);
        }
        catch (IOException e) {
            throw new UncheckedIOException("Failed to walk bucket folder " + bucketFolder, e);
        }
    }

    /**
     * The temporary files of writes under the store's folder (buckets and records alike) last written before
     * {@code before}: see {@link AtomicFiles#leftoversBefore}.
     */
    List<AtomicFiles.Leftover> leftoverWrites(java.time.Instant before) {
        try {
            return AtomicFiles.leftoversBefore(root, before);
        }
        catch (IOException e) {
            throw new UncheckedIOException("Failed to look for unfinished writes under " + root, e);
        }
    }

    private ListedObject listed(Path bucketFolder, ObjectRef ref) {
        Path file = bucketFolder.resolve(ref.key());
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            String recorded = recordedETag(readPropertiesOf(ref), attributes.size(),
                    attributes.lastModifiedTime());
            if (recorded != null) {
                return new ListedObject(ref, recorded, null, attributes.size());
            }
        }
        catch (NoSuchFileException e) {
            return ListedObject.of(ref);
        }
        catch (IOException e) {
            throw new UncheckedIOException("Failed to read " + ref + " from " + file, e);
        }
        try (java.io.InputStream in = Files.newInputStream(file)) {
            java.security.MessageDigest md5 = md5Digest();
            byte[] buffer = new byte[64 * 1024];
            long size = 0;
            for (int n; (n = in.read(buffer)) > 0;) {
                md5.update(buffer, 0, n);
                size += n;
            }
            return new ListedObject(ref, java.util.HexFormat.of().formatHex(md5.digest()), null, size);
        }
        catch (NoSuchFileException e) {
            // deleted since the walk saw it: the backfill finds it missing when it reads it
            return ListedObject.of(ref);
        }
        catch (IOException e) {
            throw new UncheckedIOException("Failed to read " + ref + " from " + file, e);
        }
    }

    private static String md5(byte[] content) {
        return java.util.HexFormat.of().formatHex(md5Digest().digest(content));
    }

    private static java.security.MessageDigest md5Digest() {
        try {
            return java.security.MessageDigest.getInstance("MD5");
        }
        catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has MD5", e);
        }
    }

    @Override
    public void checkWritable(ObjectRef ref) {
        requireRepresentable(ref, fileOf(root, ref));
    }

    /**
     * Writes the content, then its properties: a reader in between finds the old properties, whose eTag no longer
     * matches the file, so it hashes the file rather than trusting them.
     */
    @Override
    public String write(ObjectRef ref, byte[] content, String contentType, Map<String, String> metadata) {
        Path file = fileOf(root, ref);
        Properties properties = new Properties();
        if (contentType != null) {
            properties.setProperty(CONTENT_TYPE, contentType);
        }
        metadata.forEach((name, value) -> properties.setProperty(USER_PREFIX + name, value));
        requireRepresentable(ref, file);
        String eTag = md5(content);
        try {
            AtomicFiles.write(file, content);
            properties.setProperty(ETAG, eTag);
            properties.setProperty(ETAG_SIZE, Long.toString(content.length));
            properties.setProperty(ETAG_MODIFIED, Files.getLastModifiedTime(file).toString());
            AtomicFiles.write(propertiesOf(ref), toBytes(properties));
        }
        catch (IOException e) {
            throw StorageFailures.writeFailed("Failed to write " + ref + " to " + file, e, file.getParent(),
                    content.length);
        }
        return eTag;
    }

    /**
     * Deletes the file, then its properties (those of earlier releases too): a crash in between leaves properties that
     * name no file, which a later write replaces and a read never finds. A key that is a folder here, or whose folder is
     * a file, names no object, as for a read.
     */
    @Override
    public void delete(ObjectRef ref) {
        Path file = fileOf(root, ref);
        if (Files.isDirectory(file) || fileOnTheWay(file) != null) {
            return;
        }
        try {
            Files.deleteIfExists(file);
            Files.deleteIfExists(propertiesOf(ref));
            Files.deleteIfExists(fileOf(root.resolve(METADATA_FOLDER), ref, ".properties"));
        }
        catch (IOException e) {
            // a read-only folder or one not the app's to write fails a delete as it fails a write: said as such (a 503
            // on the HTTP routes), not as an unknown failure
            throw StorageFailures.writeFailed("Failed to delete " + ref + " (" + file + ")", e, file.getParent(), 0);
        }
    }

    private Path propertiesOf(ObjectRef ref) {
        fileOf(root, ref); // the key's checks, which the hashed name no longer meets
        String hash = FileMetadataRepository.sha256(ref.key());
        return fileOf(root.resolve(METADATA_FOLDER), new ObjectRef(ref.bucket(), hash.substring(0, 2) + "/" + hash),
                ".properties");
    }

    /** The properties the last write left, or those an earlier release left beside the key's own name. */
    private Properties readPropertiesOf(ObjectRef ref) throws IOException {
        Path current = propertiesOf(ref);
        if (Files.exists(current)) {
            return readProperties(current);
        }
        Path legacy = fileOf(root.resolve(METADATA_FOLDER), ref, ".properties");
        return Files.isRegularFile(legacy) ? readProperties(legacy) : new Properties();
    }

    /**
     * The properties of the file of {@code fileSize} bytes modified at {@code modified}: those the last write left when
     * it made this very file, or that name no file (written by hand, or before writes recorded it). A write renames the
     * file into place and then its properties, so a crash between the two leaves the file with no properties or with
     * the previous write's: those describe another file (the previous thumbnail's version, its content type), and the
     * file reads as one copied in by hand, with none.
     */
    private Properties propertiesOf(ObjectRef ref, long fileSize, FileTime modified) throws IOException {
        Properties properties = readPropertiesOf(ref);
        boolean namesAFile = properties.getProperty(ETAG_SIZE) != null || properties.getProperty(ETAG_MODIFIED) != null;
        return !namesAFile || isOf(properties, fileSize, modified) ? properties : new Properties();
    }

    /**
     * The eTag the last write recorded, when the file of {@code fileSize} bytes modified at {@code modified} is the
     * one that write made; else null.
     */
    private static String recordedETag(Properties properties, long fileSize, FileTime modified) {
        return isOf(properties, fileSize, modified) ? properties.getProperty(ETAG) : null;
    }

    /** Whether the properties were written for the file of {@code fileSize} bytes modified at {@code modified}. */
    private static boolean isOf(Properties properties, long fileSize, FileTime modified) {
        return Long.toString(fileSize).equals(properties.getProperty(ETAG_SIZE))
                && modified.toString().equals(properties.getProperty(ETAG_MODIFIED));
    }

    /**
     * S3 holds "a.jpg" and "a.jpg/b.jpg" side by side; folders cannot. Such a key is refused as bad input rather than
     * failing as if the disk were broken.
     */
    private void requireRepresentable(ObjectRef ref, Path file) {
        if (Files.isDirectory(file)) {
            throw new InvalidObjectKeyException("key " + shown(ref.key()) + " cannot be stored locally: other keys "
                    + "use it as a folder");
        }
        Path blocking = fileOnTheWay(file);
        if (blocking != null) {
            throw new InvalidObjectKeyException("key " + shown(ref.key()) + " cannot be stored locally: the object "
                    + root.relativize(blocking) + " is where its folder would be");
        }
    }

    /** The nearest ancestor of {@code file} below the root that is a regular file, or null. */
    private Path fileOnTheWay(Path file) {
        for (Path parent = file.getParent(); parent != null && parent.startsWith(root) && !parent.equals(root);
                parent = parent.getParent()) {
            if (Files.isRegularFile(parent)) {
                return parent;
            }
        }
        return null;
    }

    private static Path fileOf(Path base, ObjectRef ref) {
        return fileOf(base, ref, "");
    }

    /**
     * Only under a UTF-8 (or other Unicode) file name encoding: Java names files in {@code sun.jnu.encoding}, which
     * follows the locale, and a container without {@code LANG} runs in ASCII, where a key in Cyrillic cannot be a file.
     */
    @Override
    public boolean takesKeysInAnyScript() {
        return takesAnyScript(fileNameEncoding());
    }

    static boolean takesAnyScript(Charset fileNames) {
        return fileNames.newEncoder().canEncode("фото東京صورةनमस्तेé");
    }

    private static Charset fileNameEncoding() {
        try {
            return Charset.forName(System.getProperty("sun.jnu.encoding", "UTF-8"));
        }
        catch (IllegalArgumentException e) {
            return StandardCharsets.US_ASCII;
        }
    }

    /**
     * Maps a key onto a file below {@code base/bucket}, refusing any key that would land elsewhere: absolute keys,
     * {@code .} or {@code ..} segments, empty segments, NUL and backslashes.
     */
    static Path fileOf(Path base, ObjectRef ref, String suffix) {
        String bucket = ref.bucket();
        if (bucket.startsWith(".") || bucket.contains("/") || bucket.contains("\\")) {
            throw new InvalidObjectKeyException("bucket name '" + bucket + "' cannot be stored locally");
        }
        String key = ref.key();
        // S3's limit, checked first: a huge key costs nothing more, and the folders stay well inside the file
        // system's path limit
        ref.requireKeyWithinLimit();
        if (key.startsWith("/") || key.endsWith("/") || key.contains("\\") || key.indexOf('\0') >= 0) {
            throw new InvalidObjectKeyException("key " + shown(key) + " cannot be stored locally: absolute, a folder, "
                    + "or contains a backslash or NUL");
        }
        for (String segment : key.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                throw new InvalidObjectKeyException("key " + shown(key) + " cannot be stored locally: it contains "
                        + "an empty, '.' or '..' path segment");
            }
            if (AtomicFiles.isTemporaryName(segment)) {
                // the names of files being written, which listings leave out: such an object would never be listed
                throw new InvalidObjectKeyException("key " + shown(key) + " cannot be stored locally: .tmp-*.part "
                        + "names are the store's files being written");
            }
            // file systems take 255 bytes per name; the metadata file adds ".properties"
            if (segment.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_SEGMENT_BYTES) {
                throw new InvalidObjectKeyException("key " + shown(key) + " cannot be stored locally: a path segment "
                        + "is longer than " + MAX_SEGMENT_BYTES + " bytes");
            }
        }
        Path bucketFolder;
        Path file;
        try {
            bucketFolder = base.resolve(bucket).normalize();
            file = bucketFolder.resolve(key + suffix).normalize();
        }
        catch (java.nio.file.InvalidPathException e) {
            throw new InvalidObjectKeyException("key " + shown(key) + " cannot be stored locally: the file system "
                    + "encoding (" + System.getProperty("sun.jnu.encoding") + ") cannot represent it; run with a UTF-8 "
                    + "locale, e.g. LANG=C.UTF-8");
        }
        if (!file.startsWith(bucketFolder) || file.equals(bucketFolder)) {
            throw new InvalidObjectKeyException("key " + shown(key) + " would escape the bucket folder");
        }
        return file;
    }

    private static Properties readProperties(Path file) throws IOException {
        Properties properties = new Properties();
        try {
            properties.load(new StringReader(Files.readString(file, StandardCharsets.UTF_8)));
        }
        catch (NoSuchFileException e) {
            // an object copied into the folder by hand has no metadata
        }
        return properties;
    }

    private static byte[] toBytes(Properties properties) throws IOException {
        StringWriter writer = new StringWriter();
        properties.store(writer, null);
        return writer.toString().getBytes(StandardCharsets.UTF_8);
    }
}
