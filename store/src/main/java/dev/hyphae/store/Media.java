package dev.hyphae.store;

import java.util.Optional;

/**
 * The metadata of local media; the content itself lives in files named by its hash, outside the
 * database.
 */
public interface Media {
    Optional<StoredMedia> get(String mediaId);

    /** The total size of the content a user has uploaded, for their quota. */
    long totalSizeOf(String uploader);

    /** How many pending media IDs of the user have not expired at {@code nowTs}. */
    int pendingCountOf(String uploader, long nowTs);

    /** Whether any media, of any user, has content with this hash. */
    boolean hasContent(String sha256);

    interface Writer extends Media {
        /**
         * Stores new media.
         *
         * @throws StoreException when the media ID is taken or the uploader has no account
         */
        void insert(StoredMedia media);

        /**
         * Gives pending media its content.
         *
         * @return {@code false} when there is no such pending media (unknown, or content already given)
         */
        boolean complete(String mediaId, String contentType, String fileName, long size, String sha256);
    }
}
