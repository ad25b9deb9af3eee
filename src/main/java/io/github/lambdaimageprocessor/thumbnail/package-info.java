/**
 * Making a thumbnail: sniffing the format by content, checking the limits before anything is allocated, choosing a
 * decoder (this project's DCT-scaling {@code jpeg} decoder first, ImageIO/TwelveMonkeys as the fallback), resampling
 * with a Lanczos-3 convolution, turning the image upright and encoding a fresh JPEG through Thumbnailator. It
 * implements the {@link io.github.lambdaimageprocessor.processing.Resizer} port.
 */
package io.github.lambdaimageprocessor.thumbnail;
