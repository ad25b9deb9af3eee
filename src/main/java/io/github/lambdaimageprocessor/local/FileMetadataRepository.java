package io.github.lambdaimageprocessor.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

import io.github.lambdaimageprocessor.image.MetadataRepository;
import io.github.lambdaimageprocessor.image.ObjectRef;
import io.github.lambdaimageprocessor.image.ProcessedImage;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Metadata records as JSON files, one per source object, named by a hash of bucket and key so any key maps to a
 * safe file name. Writes are atomic, so a crash never leaves half a record; records survive restarts.
 */
class FileMetadataRepository implements MetadataRepository {

    private final Path folder;

    private final JsonMapper json;

    FileMetadataRepository(Path folder, JsonMapper json) {
        this.folder = folder;
        this.json = json;
    }

    @Override
    public void save(ProcessedImage image) {
        ObjectRef source = image.source().ref();
        try {
            AtomicFiles.write(fileOf(source), json.writeValueAsBytes(image));
        }
        catch (IOException | JacksonException e) {
            throw new UncheckedIOException("Failed to save the metadata record of " + source,
                    e instanceof IOException io ? io : new IOException(e));
        }
    }

    @Override
    public Optional<ProcessedImage> find(ObjectRef source) {
        Path file = fileOf(source);
        try {
            return Optional.of(json.readValue(Files.readAllBytes(file), ProcessedImage.class));
        }
        catch (NoSuchFileException e) {
            return Optional.empty();
        }
        catch (IOException | JacksonException e) {
            throw new UncheckedIOException("Failed to read the metadata record of " + source + " from " + file,
                    e instanceof IOException io ? io : new IOException(e));
        }
    }

    private Path fileOf(ObjectRef source) {
        return folder.resolve(sha256(source.bucket() + "/" + source.key()) + ".json");
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of()
                .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
