package dev.hyphae.node.media;

import java.util.Objects;

/** Thumbnail bytes and their content type ({@code image/png} or {@code image/jpeg}). */
public record Thumbnail(byte[] bytes, String contentType, int width, int height) {
    public Thumbnail {
        Objects.requireNonNull(bytes, "bytes");
        Objects.requireNonNull(contentType, "contentType");
        bytes = bytes.clone();
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    /** The file name the spec suggests for the {@code Content-Disposition} of a thumbnail. */
    public String fileName() {
        return contentType.equals("image/jpeg") ? "thumbnail.jpg" : "thumbnail.png";
    }
}
