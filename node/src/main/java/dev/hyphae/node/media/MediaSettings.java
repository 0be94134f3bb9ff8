package dev.hyphae.node.media;

import java.time.Duration;
import java.util.Objects;

/**
 * Limits of the content repository.
 *
 * @param maxUploadBytes          the largest upload; larger gives 413 {@code M_TOO_LARGE}
 * @param perUserQuotaBytes       the most content one user may have uploaded in total; beyond it an
 *                                upload gives 403 {@code M_FORBIDDEN}, as the spec's upload endpoint
 *                                lists for "the user has reached a quota"
 * @param maxThumbnailPixels      the largest image (width times height) that is thumbnailed; larger
 *                                gives 413 {@code M_TOO_LARGE}, so that a small file that decodes to a
 *                                huge bitmap cannot exhaust memory
 * @param maxPendingUploads       how many media IDs created for asynchronous upload a user may have
 *                                waiting at once; more gives 429 {@code M_LIMIT_EXCEEDED}
 * @param unusedExpiry            how long a created media ID waits for its content
 */
public record MediaSettings(long maxUploadBytes, long perUserQuotaBytes, long maxThumbnailPixels,
        int maxPendingUploads, Duration unusedExpiry) {
    public MediaSettings {
        Objects.requireNonNull(unusedExpiry, "unusedExpiry");
        if (maxUploadBytes < 1 || perUserQuotaBytes < 1 || maxThumbnailPixels < 1 || maxPendingUploads < 1) {
            throw new IllegalArgumentException("media limits must be positive");
        }
        if (unusedExpiry.isNegative() || unusedExpiry.isZero()) {
            throw new IllegalArgumentException("the expiry of unused media IDs must be positive");
        }
    }

    /**
     * 50 MiB uploads, 2 GiB per user (the node lives on a personal device), images up to 40
     * megapixels thumbnailed, 10 pending uploads, and the spec's recommended 24 hours for unused IDs.
     */
    public static MediaSettings defaults() {
        return new MediaSettings(50L << 20, 2L << 30, 40_000_000L, 10, Duration.ofHours(24));
    }

    public MediaSettings withMaxUploadBytes(long bytes) {
        return new MediaSettings(bytes, perUserQuotaBytes, maxThumbnailPixels, maxPendingUploads, unusedExpiry);
    }

    public MediaSettings withPerUserQuotaBytes(long bytes) {
        return new MediaSettings(maxUploadBytes, bytes, maxThumbnailPixels, maxPendingUploads, unusedExpiry);
    }

    public MediaSettings withMaxThumbnailPixels(long pixels) {
        return new MediaSettings(maxUploadBytes, perUserQuotaBytes, pixels, maxPendingUploads, unusedExpiry);
    }

    public MediaSettings withMaxPendingUploads(int count) {
        return new MediaSettings(maxUploadBytes, perUserQuotaBytes, maxThumbnailPixels, count, unusedExpiry);
    }
}
