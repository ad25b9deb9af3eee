package io.github.lambdaimageprocessor.web;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.github.lambdaimageprocessor.DefaultSettings;
import io.github.lambdaimageprocessor.api.HmacUploadSigner;
import io.github.lambdaimageprocessor.api.ImageApi;
import io.github.lambdaimageprocessor.config.ImageProcessorProperties;
import io.github.lambdaimageprocessor.processing.ImageProcessor;
import io.github.lambdaimageprocessor.processing.ImageStore;
import io.github.lambdaimageprocessor.processing.InMemoryImageStore;
import io.github.lambdaimageprocessor.processing.InMemoryMetadataRepository;
import io.github.lambdaimageprocessor.processing.InvalidObjectKeyException;
import io.github.lambdaimageprocessor.processing.MetadataRepository;
import io.github.lambdaimageprocessor.processing.ObjectRef;
import io.github.lambdaimageprocessor.processing.OutputLocation;
import io.github.lambdaimageprocessor.processing.RecordingNotifier;
import io.github.lambdaimageprocessor.processing.RejectedImageException;
import io.github.lambdaimageprocessor.processing.StoredObject;
import io.github.lambdaimageprocessor.processing.Uploads;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The routes' errors through Spring's own problem-detail support (the web slice: MVC, our advice, no function, no
 * adapters): what the client did wrong is a 4xx problem, a programming error is not dressed up as one.
 */
@WebMvcTest(ImageController.class)
@Import({ ImageControllerTest.Ports.class, LocalUploads.class })
class ImageControllerTest {

    @Autowired
    MockMvc mvc;

    @TestConfiguration
    static class Ports {

        @Bean
        ImageProcessorProperties properties() {
            return DefaultSettings.PROPERTIES;
        }

        @Bean
        ImageStore imageStore() {
            InMemoryImageStore objects = new InMemoryImageStore();
            return new ImageStore() {
                @Override
                public Optional<StoredObject> read(ObjectRef ref, String versionId, long maxBytes) {
                    if (ref.key().equals("thumbnails/broken.jpg")) {
                        throw new IllegalArgumentException("a bug: internal detail that must not reach the client");
                    }
                    if (ref.key().contains("..")) {
                        throw new InvalidObjectKeyException("a key with '..' cannot be stored: " + ref);
                    }
                    return objects.read(ref, versionId, maxBytes);
                }

                @Override
                public String write(ObjectRef ref, byte[] content, String contentType, Map<String, String> metadata) {
                    return objects.write(ref, content, contentType, metadata);
                }
            };
        }

        /** Records whose thumbnails the store's stand-in answers with an error (a thumbnail is served on a record). */
        @Bean
        MetadataRepository metadataRepository() {
            InMemoryMetadataRepository records = new InMemoryMetadataRepository();
            for (String key : List.of("broken.jpg", "a..b.jpg")) {
                records.save(io.github.lambdaimageprocessor.processing.ProcessedImage.processed(
                        new io.github.lambdaimageprocessor.processing.ImageObject("uploads", key, 800, 600, 1000L,
                                "image/jpeg"),
                        new io.github.lambdaimageprocessor.processing.ImageObject("processed", "thumbnails/" + key,
                                256, 192, 100L, "image/jpeg"),
                        java.time.Instant.parse("2026-12-04T00:00:00Z")));
            }
            return records;
        }

        @Bean
        ImageProcessor imageProcessor(ImageStore store, MetadataRepository metadata) {
            return new ImageProcessor(store, image -> {
                throw new RejectedImageException("not used here");
            }, metadata, new RecordingNotifier(), new OutputLocation("processed", "thumbnails/"), 1_000_000,
                    Clock.systemUTC());
        }

        @Bean
        ImageApi imageApi(ImageStore store, MetadataRepository metadata, ImageProcessor processor) {
            Uploads uploads = new Uploads(new HmacUploadSigner(new byte[32], Clock.systemUTC()), "uploads", "browser/",
                    1_000_000, Duration.ofMinutes(5));
            return new ImageApi(uploads, metadata, store, processor.output(), "uploads", null, null);
        }
    }

    @Test
    void anUnknownRecordIsA404Problem() throws Exception {
        mvc.perform(get("/images/never.jpg"))
            .andExpect(status().isNotFound())
            .andExpect(content().contentType("application/problem+json"))
            .andExpect(jsonPath("$.detail").value(
                    "No record for s3://uploads/never.jpg (yet: an upload is recorded a moment after it arrives)"));
    }

    /** A key's control characters reach no client's terminal, and a key of a kilobyte is not echoed whole. */
    @Test
    void anUnknownKeyIsQuotedInTheProblemCutShortWithItsControlCharactersEscaped() throws Exception {
        String body = mvc.perform(get(java.net.URI.create("/images/a%0Ab%1B%5B31m" + "x".repeat(1000) + ".jpg")))
            .andExpect(status().isNotFound())
            .andReturn()
            .getResponse()
            .getContentAsString(java.nio.charset.StandardCharsets.UTF_8);
        String detail = tools.jackson.databind.json.JsonMapper.builder().build().readTree(body).get("detail").asString();

        assertThat(detail).contains("s3://uploads/a\\u000Ab\\u001B[31mxxx").doesNotContain("x".repeat(101))
            .hasSizeLessThan(300);
        assertThat(detail.codePoints()).noneMatch(Character::isISOControl);
    }

    @Test
    void aMissingKeyIsA400ProblemSayingWhatToSend() throws Exception {
        mvc.perform(get("/thumbnails/"))
            .andExpect(status().isBadRequest())
            .andExpect(content().contentType("application/problem+json"))
            .andExpect(jsonPath("$.detail").value("Name the object: /images/<key> or /thumbnails/<key>"));
    }

    @Test
    void aKeyTheStoreCannotHoldIsA400Problem() throws Exception {
        mvc.perform(get("/thumbnails/a..b.jpg"))
            .andExpect(status().isBadRequest())
            .andExpect(content().contentType("application/problem+json"))
            .andExpect(jsonPath("$.title").value("Invalid object key"));
    }

    @Test
    void aWrongMethodIsA405ProblemFromSpringsOwnSupport() throws Exception {
        mvc.perform(org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete("/images/a.jpg"))
            .andExpect(status().isMethodNotAllowed())
            .andExpect(content().contentType("application/problem+json"));
    }

    @Test
    void aProgrammingErrorIsNotTurnedIntoA400ThatShowsItsMessage() {
        assertThatException().isThrownBy(() -> mvc.perform(get("/thumbnails/broken.jpg")))
            .withRootCauseInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aBodyGetsMemoryAsItArrivesNotAsItsContentLengthAnnounces() {
        int arrives = 3 * 1024 * 1024;
        List<Integer> arraysReadInto = new java.util.ArrayList<>();
        // announces 20 MB, sends 3 MB and ends
        jakarta.servlet.ServletInputStream body = new jakarta.servlet.ServletInputStream() {
            private int sent;

            @Override
            public int read() {
                throw new UnsupportedOperationException("read in blocks");
            }

            @Override
            public int read(byte[] into, int offset, int length) {
                if (arraysReadInto.isEmpty() || arraysReadInto.getLast() != into.length) {
                    arraysReadInto.add(into.length);
                }
                int n = Math.min(length, arrives - sent);
                sent += n;
                return n == 0 ? -1 : n;
            }

            @Override
            public boolean isFinished() {
                return sent == arrives;
            }

            @Override
            public boolean isReady() {
                return true;
            }

            @Override
            public void setReadListener(jakarta.servlet.ReadListener listener) {
            }
        };
        MockHttpServletRequest request = new MockHttpServletRequest() {
            @Override
            public jakarta.servlet.ServletInputStream getInputStream() {
                return body;
            }
        };

        long announced = 20L * 1024 * 1024;
        assertThatException().isThrownBy(() -> ImageController.readBody(request, announced, announced))
            .withMessageContaining("The body ended before the 20971520 bytes its Content-Length announced");
        assertThat(arraysReadInto).containsExactly(1024 * 1024, 4 * 1024 * 1024);
    }

    @Test
    void aBodyOfItsAnnouncedSizeIsReadWhole() throws Exception {
        byte[] photo = new byte[5 * 1024 * 1024 + 3];
        new java.util.Random(7).nextBytes(photo);
        MockHttpServletRequest request = new MockHttpServletRequest();
        request.setContent(photo);

        assertThat(ImageController.readBody(request, photo.length, 20L * 1024 * 1024)).isEqualTo(photo);
        assertThat(ImageController.readBody(new MockHttpServletRequest(), 0, 10)).isEmpty();
    }
}
