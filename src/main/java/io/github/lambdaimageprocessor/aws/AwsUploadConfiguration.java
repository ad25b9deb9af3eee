package io.github.lambdaimageprocessor.aws;

import java.time.Clock;

import io.github.lambdaimageprocessor.config.UploadProperties;
import io.github.lambdaimageprocessor.processing.ThumbnailLinks;
import io.github.lambdaimageprocessor.processing.UploadSigner;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;

/**
 * Profile {@code aws}: browser uploads go straight to S3 with presigned PUTs, thumbnails are read with presigned
 * GETs. The presigner is Spring Cloud AWS's, configured like the other clients (endpoint, region, credentials,
 * path-style access).
 */
@Configuration(proxyBeanMethods = false)
@Profile("aws")
class AwsUploadConfiguration {

    @Bean
    UploadSigner uploadSigner(S3Presigner presigner) {
        return new S3PresignedUploadSigner(presigner, Clock.systemUTC());
    }

    @Bean
    ThumbnailLinks thumbnailLinks(S3Presigner presigner, UploadProperties uploads) {
        return new S3ThumbnailLinks(presigner, uploads.linkExpiry());
    }
}
