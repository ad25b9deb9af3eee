/**
 * The core: what it means to turn one uploaded object into a thumbnail, with no Spring and no AWS in it. The use case
 * {@link io.github.lambdaimageprocessor.image.ImageProcessor} reads an object through an
 * {@link io.github.lambdaimageprocessor.image.ImageStore}, resizes it with a
 * {@link io.github.lambdaimageprocessor.image.Resizer}, writes the thumbnail, records the outcome in a
 * {@link io.github.lambdaimageprocessor.image.MetadataRepository} and tells a
 * {@link io.github.lambdaimageprocessor.image.Notifier}. Adapters for AWS and for a local run live in sibling packages.
 */
package io.github.lambdaimageprocessor.image;
