/**
 * The Spring Cloud Function beans, in every profile: {@code processImage} maps each S3 record (its key URL-decoded)
 * onto the use case. Lambda invokes it through {@code FunctionInvoker}; the web app serves it at
 * {@code POST /processImage}. Lambda concerns that are not AWS API calls live here too: the invocation's request id,
 * and SnapStart priming.
 */
package io.github.lambdaimageprocessor.function;
