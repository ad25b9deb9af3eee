/**
 * HTTP when run as a web app, in any profile: a guard against other websites (their writes, DNS rebinding), guards
 * for Spring Cloud Function's {@code POST /processImage}, a convenience upload endpoint, and RFC 9457 problem details
 * for every error.
 */
package io.github.lambdaimageprocessor.web;
