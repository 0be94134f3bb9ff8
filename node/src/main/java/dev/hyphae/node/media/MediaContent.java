package dev.hyphae.node.media;

import java.util.Objects;
import java.util.Optional;

/** Content to serve: its bytes, content type and the file name given at upload, if any. */
public record MediaContent(byte[] bytes, String contentType, Optional<String> fileName) {
    public MediaContent {
        Objects.requireNonNull(bytes, "bytes");
        Objects.requireNonNull(contentType, "contentType");
        Objects.requireNonNull(fileName, "fileName");
        bytes = bytes.clone();
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }
}
