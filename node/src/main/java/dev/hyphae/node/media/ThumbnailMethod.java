package dev.hyphae.node.media;

import java.util.Locale;
import java.util.Optional;

/** The spec's two thumbnail methods. */
public enum ThumbnailMethod {
    /** Keep the aspect ratio of the original. */
    SCALE,
    /** Take the aspect ratio of the requested size, cutting off what does not fit. */
    CROP;

    /** The method named by the query parameter, or empty for an unknown name. */
    public static Optional<ThumbnailMethod> named(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "scale" -> Optional.of(SCALE);
            case "crop" -> Optional.of(CROP);
            default -> Optional.empty();
        };
    }
}
