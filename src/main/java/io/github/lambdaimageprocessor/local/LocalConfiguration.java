package io.github.lambdaimageprocessor.local;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

import io.github.lambdaimageprocessor.config.ImageProcessorProperties;
import io.github.lambdaimageprocessor.config.SettingException;
import io.github.lambdaimageprocessor.processing.ImageProcessor;
import io.github.lambdaimageprocessor.processing.MetadataRepository;
import io.github.lambdaimageprocessor.processing.Notifier;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;

/**
 * Profile {@code local}, the default ({@code spring.profiles.default}): no AWS account, everything under
 * {@code image-processor.local.root}.
 */
@Configuration(proxyBeanMethods = false)
@Profile("local")
class LocalConfiguration {

    /** Declared as its own type: the restart's walk takes the same store, which the port does not offer walking. */
    @Bean
    FileSystemImageStore imageStore(ImageProcessorProperties properties) {
        return new FileSystemImageStore(usableRoot(properties.local().root()));
    }

    @Bean
    MetadataRepository metadataRepository(ImageProcessorProperties properties, JsonMapper json) {
        Path folder = usableRoot(properties.local().root()).resolve(".metadata");
        return new FileMetadataRepository(folder, json);
    }

    @Bean
    Notifier notifier() {
        return new LoggingNotifier();
    }

    /**
     * The app serving uploads finishes those its last run left unfinished; a command run on the same folder
     * ({@code backfill}) does not: it is one.
     */
    @Bean
    @ConditionalOnWebApplication
    UnfinishedUploads unfinishedUploads(FileSystemImageStore imageStore, MetadataRepository metadataRepository,
            ImageProcessor imageProcessor, ImageProcessorProperties properties) {
        return new UnfinishedUploads(imageStore, metadataRepository, imageProcessor, properties.uploadBucket(),
                Clock.systemUTC());
    }

    /**
     * The data folder, refused at start-up when the stand-ins could not write into it: a file in its place (or in the
     * place of a folder on its way) or a folder that is not writable (a read-only file system) otherwise started the
     * app, and failed every request. A folder still to be created is fine: the first write creates it. A full disk is
     * left to each write, which answers 507: space comes and goes while the app runs.
     */
    static Path usableRoot(Path configured) {
        Path root = configured.toAbsolutePath().normalize();
        if (Files.exists(root) && !Files.isDirectory(root)) {
            throw unusable(root, "is a file, not a folder");
        }
        Path existing = root;
        while (!Files.exists(existing) && existing.getParent() != null) {
            existing = existing.getParent();
        }
        if (!Files.isDirectory(existing)) {
            throw unusable(root, "cannot be created: " + existing + " is a file, not a folder");
        }
        if (!Files.isWritable(existing)) {
            throw unusable(root, (existing.equals(root) ? "is" : "cannot be created: " + existing
                    + " is") + " not writable (read-only file system, or no permission)");
        }
        return root;
    }

    private static SettingException unusable(Path root, String problem) {
        return new SettingException("image-processor.local.root (" + root + ") " + problem
                + ": profile local keeps its buckets and records there.",
                "Set image-processor.local.root (IMAGE_PROCESSOR_LOCAL_ROOT) to a writable folder, or one that can be "
                        + "created; the default is 'data' in the working directory.");
    }
}
