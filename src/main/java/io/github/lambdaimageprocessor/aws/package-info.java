/**
 * Everything that speaks AWS: the {@code processImage} function that maps S3 events onto the core, and (profile
 * {@code aws}) the S3, DynamoDB and SNS adapters. The only package importing AWS or Spring Cloud AWS types.
 */
package io.github.lambdaimageprocessor.aws;
