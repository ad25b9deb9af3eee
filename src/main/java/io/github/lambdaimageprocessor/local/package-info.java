/**
 * Stand-ins for S3, DynamoDB and SNS, active unless the {@code aws} profile is: buckets are folders, metadata records
 * are JSON files, notifications go to the log. Everything lives under {@code image-processor.local.root}.
 */
package io.github.lambdaimageprocessor.local;
