package io.github.lambdaimageprocessor.processing;

import java.util.List;
import java.util.Objects;

/**
 * One page of a listing.
 *
 * @param items the items of this page, in listing order
 * @param next an opaque cursor for the following page, or null when this is the last page
 * @param <T> the item type
 */
public record Page<T>(List<T> items, String next) {

    public Page {
        items = List.copyOf(Objects.requireNonNull(items, "items"));
    }
}
