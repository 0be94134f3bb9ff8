package dev.hyphae.store;

import java.util.Objects;

/** A filter a user uploaded, as the JSON text it was stored with. */
public record StoredFilter(String userId, String filterId, String filterJson) {
    public StoredFilter {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(filterId, "filterId");
        Objects.requireNonNull(filterJson, "filterJson");
    }
}
