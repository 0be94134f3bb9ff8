package dev.hyphae.store;

import java.util.Objects;

/**
 * One piece of local media: its ID, who uploaded it and what it is. Media created without content
 * (asynchronous upload) is pending: it has no content type, size or hash until the content arrives.
 *
 * @param mediaId        the media ID of the {@code mxc://} URI
 * @param uploader       the user ID of the uploader
 * @param contentType    the content type given at upload, or {@code null} while pending
 * @param fileName       the file name given at upload, or {@code null} when none was given
 * @param size           the content's size in bytes, 0 while pending
 * @param sha256         the lower-case hex SHA-256 of the content, or {@code null} while pending
 * @param createdTs      when the media ID was created, in milliseconds since the epoch
 * @param unusedExpiresTs for pending media, when the ID expires unless content arrives; otherwise {@code null}
 */
public record StoredMedia(String mediaId, String uploader, String contentType, String fileName, long size,
        String sha256, long createdTs, Long unusedExpiresTs) {
    public StoredMedia {
        Objects.requireNonNull(mediaId, "mediaId");
        Objects.requireNonNull(uploader, "uploader");
        if (size < 0) {
            throw new IllegalArgumentException("a size is not negative: " + size);
        }
        if ((sha256 == null) != (contentType == null)) {
            throw new IllegalArgumentException("uploaded media has both a hash and a content type; pending media neither");
        }
        if (sha256 != null && !sha256.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("not a lower-case hex SHA-256: " + sha256);
        }
        if (sha256 != null && unusedExpiresTs != null) {
            throw new IllegalArgumentException("uploaded media does not expire");
        }
    }

    /** Media whose content is stored. */
    public static StoredMedia uploaded(String mediaId, String uploader, String contentType, String fileName,
            long size, String sha256, long createdTs) {
        return new StoredMedia(mediaId, uploader, contentType, fileName, size, sha256, createdTs, null);
    }

    /** A media ID created for content that is to come before {@code unusedExpiresTs}. */
    public static StoredMedia pending(String mediaId, String uploader, long createdTs, long unusedExpiresTs) {
        return new StoredMedia(mediaId, uploader, null, null, 0, null, createdTs, unusedExpiresTs);
    }

    /** Whether the content has arrived. */
    public boolean isUploaded() {
        return sha256 != null;
    }
}
