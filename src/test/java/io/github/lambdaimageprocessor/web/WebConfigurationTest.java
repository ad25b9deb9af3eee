package io.github.lambdaimageprocessor.web;

import java.util.List;
import java.util.Map;

import io.github.lambdaimageprocessor.DefaultSettings;
import io.github.lambdaimageprocessor.config.ImageProcessorProperties;
import jakarta.servlet.MultipartConfigElement;
import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.convert.ApplicationConversionService;

import static org.assertj.core.api.Assertions.assertThat;

class WebConfigurationTest {

    private static final long MB = 1024 * 1024;

    @Test
    void underTheDefaultLimitFormPartsOfUpTo16MegabytesStayInMemory() {
        MultipartConfigElement form = new WebConfiguration().multipartConfigElement(DefaultSettings.PROPERTIES);

        assertThat(form.getMaxFileSize()).isEqualTo(20 * MB);
        assertThat(form.getMaxRequestSize()).isEqualTo(20 * MB);
        // parts of up to 16 MB stay in memory, larger ones (up to the limit) go to a temporary file
        assertThat(form.getFileSizeThreshold()).isEqualTo(16 * 1024 * 1024);
    }

    @Test
    void aLargerLimitStillSendsPartsOver16MegabytesToDiskAndASmallerOneKeepsAllInMemory() {
        MultipartConfigElement large = new WebConfiguration().multipartConfigElement(withMaxUploadSize("200MB"));
        MultipartConfigElement small = new WebConfiguration().multipartConfigElement(withMaxUploadSize("2MB"));

        assertThat(large.getMaxFileSize()).isEqualTo(200 * MB);
        assertThat(large.getFileSizeThreshold()).isEqualTo(16 * 1024 * 1024);
        assertThat(small.getMaxFileSize()).isEqualTo(2 * MB);
        assertThat(small.getFileSizeThreshold()).isEqualTo(2 * 1024 * 1024);
    }

    private static ImageProcessorProperties withMaxUploadSize(String size) {
        return new Binder(List.of(new MapConfigurationPropertySource(
                Map.of("image-processor.limits.max-upload-size", size))), null,
                ApplicationConversionService.getSharedInstance())
            .bindOrCreate("image-processor", ImageProcessorProperties.class);
    }
}
