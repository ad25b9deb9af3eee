package io.github.lambdaimageprocessor.web;

import java.net.InetAddress;
import java.util.List;
import java.util.Map;

import io.github.lambdaimageprocessor.DefaultSettings;
import io.github.lambdaimageprocessor.config.ImageProcessorProperties;
import io.github.lambdaimageprocessor.config.SettingException;
import io.github.lambdaimageprocessor.config.UploadProperties;
import jakarta.servlet.MultipartConfigElement;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.boot.web.server.autoconfigure.ServerProperties;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

    @Test
    void anUploadLimitOverHalfTheHeapStopsStartUpNamingTheSettingAndTheHeap() {
        ImageProcessorProperties limit300 = withMaxUploadSize("300MB");

        assertThatThrownBy(() -> WebConfiguration.checkHeapHolds(limit300.limits(), 256 * MB))
            .isInstanceOf(SettingException.class)
            .hasMessageContaining("image-processor.limits.max-upload-size (300 MB)")
            .hasMessageContaining("maximum heap (256 MB)");
        // the same limit on a heap twice its size, and the defaults on a small heap, start
        WebConfiguration.checkHeapHolds(limit300.limits(), 600 * MB);
        WebConfiguration.checkHeapHolds(DefaultSettings.PROPERTIES.limits(), 64 * MB);
    }

    /**
     * Under the serial and parallel collectors (the JVM's choice on one CPU or under 1792 MB) the heap the JVM reports
     * is a little under -Xmx: -Xmx40m is 38.7 MB. The refusal of the default 20 MB said "at most 20 MB, or a heap of at
     * least twice the limit", and both were refused again.
     */
    @Test
    void theWayOutTheRefusalSuggestsStartsWhateverTheCollectorTookFromXmx() {
        long serialXmx40 = 40_566_784; // Runtime.maxMemory() with -XX:+UseSerialGC -Xmx40m
        long parallelXmx40 = 40_370_176; // and with -XX:+UseParallelGC -Xmx40m
        for (long maxHeap : new long[] { serialXmx40, parallelXmx40 }) {
            SettingException refusal = catchSettingException(
                    () -> WebConfiguration.checkHeapHolds(DefaultSettings.PROPERTIES.limits(), maxHeap));
            java.util.regex.Matcher atMost = java.util.regex.Pattern.compile("to at most (\\d+) MB")
                .matcher(refusal.action());
            assertThat(atMost.find()).as(refusal.action()).isTrue();
            // the upload limit it suggests starts on this very heap
            WebConfiguration.checkHeapHolds(withMaxUploadSize(atMost.group(1) + "MB").limits(), maxHeap);
            // the -Xmx it suggests holds the limit under these collectors (they report 96-97 % of -Xmx)
            java.util.regex.Matcher xmx = java.util.regex.Pattern.compile("-Xmx(\\d+)m").matcher(refusal.action());
            assertThat(xmx.find()).as(refusal.action()).isTrue();
            WebConfiguration.checkHeapHolds(DefaultSettings.PROPERTIES.limits(),
                    Long.parseLong(xmx.group(1)) * MB * 96 / 100);
        }
    }

    private static SettingException catchSettingException(Runnable check) {
        try {
            check.run();
        }
        catch (SettingException e) {
            return e;
        }
        throw new AssertionError("start-up was not refused");
    }

    @Test
    void anUploadMemoryOverHalfTheHeapStopsStartUpButItsDefaultAQuarterOfTheHeapDoesNot() {
        ImageProcessorProperties memory200 = bind(Map.of("image-processor.limits.upload-memory", "200MB"));

        assertThatThrownBy(() -> WebConfiguration.checkHeapHolds(memory200.limits(), 256 * MB))
            .isInstanceOf(SettingException.class)
            .hasMessageContaining("image-processor.limits.upload-memory (200 MB)");
        WebConfiguration.checkHeapHolds(memory200.limits(), 400 * MB);
    }

    @Test
    void onlyWhileBoundToLoopbackDoesTheAppRefuseForeignHostNames() throws Exception {
        assertThat(foreignHostStatus("127.0.0.1")).isEqualTo(421);
        assertThat(foreignHostStatus("::1")).isEqualTo(421);
        // the README's opt-in to every interface: the app is then reached by names it cannot know
        assertThat(foreignHostStatus("0.0.0.0")).isEqualTo(200);
        assertThat(foreignHostStatus("192.0.2.10")).isEqualTo(200);
    }

    /** What the registered filter answers a GET naming another host, 200 when it passes the request on. */
    private static int foreignHostStatus(String serverAddress) throws Exception {
        ServerProperties server = new ServerProperties();
        server.setAddress(InetAddress.getByName(serverAddress));
        ForeignRequestFilter filter = new WebConfiguration()
            .foreignRequestFilter(JsonMapper.builder().build(), server, uploads(Map.of()))
            .getFilter();
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/images");
        request.addHeader("Host", "photos.example:8080");
        MockHttpServletResponse response = new MockHttpServletResponse();
        MockFilterChain chain = new MockFilterChain();
        filter.doFilter(request, response, chain);
        return chain.getRequest() != null ? 200 : response.getStatus();
    }

    static UploadProperties uploads(Map<String, String> properties) {
        return new Binder(List.of(new MapConfigurationPropertySource(properties)), null,
                ApplicationConversionService.getSharedInstance())
            .bindOrCreate("image-processor.uploads", UploadProperties.class);
    }

    private static ImageProcessorProperties withMaxUploadSize(String size) {
        return bind(Map.of("image-processor.limits.max-upload-size", size, "image-processor.limits.max-input-size",
                size));
    }

    private static ImageProcessorProperties bind(Map<String, String> properties) {
        return new Binder(List.of(new MapConfigurationPropertySource(properties)), null,
                ApplicationConversionService.getSharedInstance())
            .bindOrCreate("image-processor", ImageProcessorProperties.class);
    }
}
