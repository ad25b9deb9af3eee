package io.github.lambdaimageprocessor.aws;

import software.amazon.awssdk.core.exception.SdkClientException;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

/**
 * Start-up without an AWS region in profile {@code aws}: says so and names the variables, instead of Spring Boot's
 * report of whichever binding or bean happened to create the first AWS client (it blamed a {@code Path} property).
 * Before Spring Boot's own analyzers, which would otherwise report that binding.
 */
@Order(Ordered.HIGHEST_PRECEDENCE)
class MissingRegionFailureAnalyzer extends AbstractFailureAnalyzer<SdkClientException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, SdkClientException cause) {
        if (cause.getMessage() == null || !cause.getMessage().startsWith("Unable to load region")) {
            return null;
        }
        return new FailureAnalysis("No AWS region is configured. Profile 'aws' uses S3, DynamoDB and SNS in one region, "
                + "and found none in AWS_REGION, the aws.region system property or the default profile of "
                + "~/.aws/config.",
                "Set AWS_REGION (Lambda sets it for the function) or SPRING_CLOUD_AWS_REGION_STATIC, e.g. "
                        + "AWS_REGION=eu-west-1. Against moto or LocalStack any region does: docs/localstack-moto.md.",
                cause);
    }
}
