/**
 * The use case, in plain Java: {@link io.github.lambdaimageprocessor.processing.ImageProcessor} turns one uploaded
 * object into a thumbnail, a metadata record and a notification, exactly once per object version. It reads through
 * the {@link io.github.lambdaimageprocessor.processing.ImageStore} port, delegates the pixels to a
 * {@link io.github.lambdaimageprocessor.processing.Resizer}, records in a
 * {@link io.github.lambdaimageprocessor.processing.MetadataRepository} and tells a
 * {@link io.github.lambdaimageprocessor.processing.Notifier}. Nothing here knows Spring, AWS or any imaging library;
 * adapters live in sibling packages.
 */
package io.github.lambdaimageprocessor.processing;
