/**
 * Profile {@code aws}: the ports on S3, DynamoDB and SNS through the AWS SDK, configured by Spring Cloud AWS's
 * standard {@code spring.cloud.aws.*} properties, so real AWS, LocalStack and moto differ by configuration alone. The
 * only package that calls AWS APIs.
 */
package io.github.lambdaimageprocessor.aws;
