/**
 * Configuration: the {@code image-processor.*} properties (one record tree, the one place for each default, validated
 * when bound) and the wiring of the use case and the thumbnail maker from them. Adapters are wired by their own
 * packages' configurations, chosen by profile.
 */
package io.github.lambdaimageprocessor.config;
