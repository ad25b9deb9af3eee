package io.github.lambdaimageprocessor.config;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;

import io.github.lambdaimageprocessor.api.HmacUploadSigner;
import io.github.lambdaimageprocessor.api.ImageApi;
import io.github.lambdaimageprocessor.processing.ImageProcessor;
import io.github.lambdaimageprocessor.processing.ImageStore;
import io.github.lambdaimageprocessor.processing.MetadataRepository;
import io.github.lambdaimageprocessor.processing.ThumbnailLinks;
import io.github.lambdaimageprocessor.processing.UploadSigner;
import io.github.lambdaimageprocessor.processing.Uploads;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;

/**
 * Browser uploads: the use case and the plain HTTP API over it. The signer is S3's presigner in profile {@code aws}
 * (wired there), this app's own HMAC-signed route otherwise.
 */
@Configuration(proxyBeanMethods = false)
class UploadConfiguration {

    @Bean
    Uploads uploads(UploadSigner signer, ImageProcessorProperties properties, UploadProperties uploads,
            ImageStore store) {
        return new Uploads(signer, properties.uploadBucket(), uploads.keyPrefix(),
                properties.limits().maxUploadSize().toBytes(), uploads.urlExpiry(), store.takesKeysInAnyScript());
    }

    @Bean
    ImageApi imageApi(Uploads uploads, MetadataRepository metadata, ImageStore store, ImageProcessor processor,
            ImageProcessorProperties properties, ObjectProvider<ThumbnailLinks> links) {
        return new ImageApi(uploads, metadata, store, processor.output(), properties.uploadBucket(),
                properties.failover().peerUploadBucket(), links.getIfAvailable());
    }

    @Bean
    @Profile("!aws")
    HmacUploadSigner localUploadSigner(UploadProperties uploads) {
        byte[] secret;
        if (uploads.signingSecret().isEmpty()) {
            secret = new byte[32];
            new SecureRandom().nextBytes(secret);
        }
        else {
            secret = uploads.signingSecret().getBytes(StandardCharsets.UTF_8);
        }
        return new HmacUploadSigner(secret, Clock.systemUTC());
    }
}
