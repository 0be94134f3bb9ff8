package dev.hyphae.node.media;

import java.util.Objects;

/** A media ID created for a later upload, and when it expires unless content arrives. */
public record CreatedMedia(String contentUri, long unusedExpiresAt) {
    public CreatedMedia {
        Objects.requireNonNull(contentUri, "contentUri");
    }
}
