package io.github.lambdaimageprocessor;

import java.util.List;

import io.github.lambdaimageprocessor.config.ImageProcessorProperties;
import io.github.lambdaimageprocessor.thumbnail.ThumbnailSpec;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.convert.ApplicationConversionService;

/**
 * The settings a user gets with nothing configured, bound the way Spring Boot binds them, so tests use the defaults
 * of {@link ImageProcessorProperties} (their one place) instead of copies.
 */
public final class DefaultSettings {

    /** The {@code image-processor.*} properties with nothing set. */
    public static final ImageProcessorProperties PROPERTIES = new Binder(List.of(), null,
            ApplicationConversionService.getSharedInstance())
        .bindOrCreate("image-processor", ImageProcessorProperties.class);

    /** What the thumbnail maker gets by default. */
    public static final ThumbnailSpec THUMBNAIL_SPEC = PROPERTIES.thumbnailSpec();

    private DefaultSettings() {
    }
}
