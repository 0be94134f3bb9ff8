package dev.hyphae.node.media;

/** Content that cannot be thumbnailed, with the reason. */
public final class ThumbnailException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Why: the content is not a supported image, or the image is too large to decode safely. */
    public enum Reason { NOT_AN_IMAGE, TOO_LARGE }

    private final Reason reason;

    public ThumbnailException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
