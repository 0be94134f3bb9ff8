package dev.hyphae.node.media;

import dev.hyphae.node.http.MatrixException;
import dev.hyphae.node.identifier.InvalidIdentifierException;
import dev.hyphae.node.identifier.ServerName;
import dev.hyphae.node.identifier.UserId;
import dev.hyphae.store.Store;
import dev.hyphae.store.StoreException;
import dev.hyphae.store.StoredMedia;
import dev.hyphae.store.WriteUnit;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The content repository: stores uploads (content in {@link ContentFiles}, metadata in the store)
 * and finds them again by {@code mxc://} URI. Every failure is a {@link MatrixException} with the
 * spec's status and code.
 */
public final class MediaRepository {
    static final String M_NOT_YET_UPLOADED = "M_NOT_YET_UPLOADED";
    static final String M_CANNOT_OVERWRITE_MEDIA = "M_CANNOT_OVERWRITE_MEDIA";
    private static final int MAX_FILE_NAME_LENGTH = 255;
    private static final int MEDIA_ID_ATTEMPTS = 5;
    /** The spec's default {@code timeout_ms} of a download that waits for remote media. */
    public static final Duration DEFAULT_REMOTE_TIMEOUT = Duration.ofSeconds(20);

    private final Store store;
    private final ServerName serverName;
    private final ContentFiles files;
    private final Thumbnailer thumbnailer;
    private final MediaSettings settings;
    private final SecureRandom random;
    private final Clock clock;
    private final RemoteMedia remote;
    private final RemoteMediaCache remoteCache;
    private final Duration remoteTimeout;

    /** A repository of local media only: {@code mxc://} URIs of other servers are not found. */
    public MediaRepository(Store store, ServerName serverName, ContentFiles files, MediaSettings settings,
            SecureRandom random, Clock clock) {
        this(store, serverName, files, settings, random, clock, RemoteMedia.NONE, null, DEFAULT_REMOTE_TIMEOUT);
    }

    /**
     * A repository that fetches media of other servers through {@code remote} on first download
     * and keeps it in {@code remoteCache}.
     *
     * @param remoteTimeout how long a download waits for another server
     */
    public MediaRepository(Store store, ServerName serverName, ContentFiles files, MediaSettings settings,
            SecureRandom random, Clock clock, RemoteMedia remote, RemoteMediaCache remoteCache,
            Duration remoteTimeout) {
        this.remote = Objects.requireNonNull(remote, "remote");
        this.remoteCache = remote == RemoteMedia.NONE ? remoteCache : Objects.requireNonNull(remoteCache, "remoteCache");
        this.remoteTimeout = Objects.requireNonNull(remoteTimeout, "remoteTimeout");
        this.store = Objects.requireNonNull(store, "store");
        this.serverName = Objects.requireNonNull(serverName, "serverName");
        this.files = Objects.requireNonNull(files, "files");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.random = Objects.requireNonNull(random, "random");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.thumbnailer = new Thumbnailer(settings.maxThumbnailPixels());
    }

    public MediaSettings settings() {
        return settings;
    }

    /**
     * Stores an upload and returns its {@code mxc://} URI. The content is on the disk before this
     * returns, so the client is never given a URI whose content could be lost.
     *
     * @throws MatrixException 413 {@code M_TOO_LARGE} above the size limit, 403 {@code M_FORBIDDEN}
     *                         when the upload would exceed the user's quota
     */
    public String upload(UserId uploader, String contentType, Optional<String> fileName, byte[] content) {
        checkSize(content);
        String name = checkedFileName(fileName);
        // Checked again when committing; checking first keeps a user over quota from filling the disk.
        checkQuota(store.read(tx -> tx.media().totalSizeOf(uploader.toString())), content.length);
        String hash = files.put(content);
        long now = clock.millis();
        for (int attempt = 0; ; attempt++) {
            String mediaId = MediaId.generate(random);
            StoredMedia media = StoredMedia.uploaded(mediaId, uploader.toString(), contentType, name,
                    content.length, hash, now);
            try {
                commit(tx -> {
                    checkQuota(tx.media().totalSizeOf(uploader.toString()), content.length);
                    if (tx.media().get(mediaId).isPresent()) {
                        throw new MediaIdTaken();
                    }
                    tx.media().insert(media);
                    return null;
                });
                return contentUri(mediaId);
            } catch (MediaIdTaken e) {
                if (attempt + 1 >= MEDIA_ID_ATTEMPTS) {
                    throw new IllegalStateException("no free media ID after " + MEDIA_ID_ATTEMPTS + " attempts");
                }
            }
        }
    }

    /**
     * Creates a media ID for content to be uploaded later ({@code POST /_matrix/media/v1/create}).
     *
     * @throws MatrixException 429 {@code M_LIMIT_EXCEEDED} when the user has too many pending uploads
     */
    public CreatedMedia create(UserId uploader) {
        long now = clock.millis();
        long expires = now + settings.unusedExpiry().toMillis();
        String mediaId = MediaId.generate(random);
        commit(tx -> {
            if (tx.media().pendingCountOf(uploader.toString(), now) >= settings.maxPendingUploads()) {
                // The spec asks for 429 here; the client may retry once an upload completes or expires.
                throw MatrixException.limitExceeded(settings.unusedExpiry().toMillis());
            }
            tx.media().insert(StoredMedia.pending(mediaId, uploader.toString(), now, expires));
            return null;
        });
        return new CreatedMedia(contentUri(mediaId), expires);
    }

    /**
     * Gives content to a media ID made by {@link #create} ({@code PUT /_matrix/media/v3/upload/...}).
     *
     * @throws MatrixException 404 for an unknown, remote or expired ID, 403 when another user created
     *                         it, 409 {@code M_CANNOT_OVERWRITE_MEDIA} when it already has content,
     *                         and the limits of {@link #upload}
     */
    public void uploadTo(UserId uploader, String server, String mediaId, String contentType,
            Optional<String> fileName, byte[] content) {
        if (!isLocal(server) || !MediaId.isValid(mediaId)) {
            throw MatrixException.notFound("Unknown media ID");
        }
        checkSize(content);
        String name = checkedFileName(fileName);
        long now = clock.millis();
        StoredMedia pending = store.read(tx -> tx.media().get(mediaId))
                .orElseThrow(() -> MatrixException.notFound("Unknown media ID"));
        checkPendingFor(pending, uploader, now);
        String hash = files.put(content);
        commit(tx -> {
            StoredMedia current = tx.media().get(mediaId).orElseThrow(() -> MatrixException.notFound("Unknown media ID"));
            checkPendingFor(current, uploader, now);
            checkQuota(tx.media().totalSizeOf(uploader.toString()), content.length);
            if (!tx.media().complete(mediaId, contentType, name, content.length, hash)) {
                throw overwrite();
            }
            return null;
        });
    }

    /**
     * The content of {@code mxc://server/mediaId}; media of another server is fetched from it on
     * first use and kept.
     *
     * @throws MatrixException 400 {@code M_INVALID_PARAM} for a malformed server name or media ID
     *                         (the spec requires both to be sanitised), 404 for unknown media, 504
     *                         {@code M_NOT_YET_UPLOADED} for media created but not yet uploaded; for
     *                         remote media 502 when its server could not be asked, 504 when it did
     *                         not answer in time
     */
    public MediaContent download(String server, String mediaId) {
        ServerName origin = checkedLocation(server, mediaId);
        if (!origin.equals(serverName)) {
            return remoteDownload(origin.toString(), mediaId);
        }
        StoredMedia media = uploadedMedia(mediaId);
        byte[] bytes = files.get(media.sha256())
                .orElseThrow(() -> new IllegalStateException("the content of media " + mediaId + " is missing"));
        return new MediaContent(bytes, media.contentType(), Optional.ofNullable(media.fileName()));
    }

    /**
     * A thumbnail of {@code mxc://server/mediaId}, or the original when it is no larger than
     * requested.
     *
     * @throws MatrixException as {@link #download}; 400 {@code M_UNKNOWN} for content that is not a
     *                         PNG, JPEG or GIF image, 413 {@code M_TOO_LARGE} for images above the
     *                         pixel limit
     */
    public MediaContent thumbnail(String server, String mediaId, int width, int height, ThumbnailMethod method) {
        if (width < 1 || height < 1) {
            throw MatrixException.invalidParam("width and height must be positive integers");
        }
        MediaContent original = download(server, mediaId);
        try {
            Optional<Thumbnail> thumbnail = thumbnailer.thumbnail(original.bytes(), original.contentType(),
                    width, height, method);
            return thumbnail.map(t -> new MediaContent(t.bytes(), t.contentType(), Optional.of(t.fileName())))
                    .orElse(original);
        } catch (ThumbnailException e) {
            if (e.reason() == ThumbnailException.Reason.TOO_LARGE) {
                throw MatrixException.tooLarge(e.getMessage());
            }
            // The spec's 400 for content the server cannot thumbnail uses M_UNKNOWN.
            throw new MatrixException(400, MatrixException.M_UNKNOWN, e.getMessage());
        }
    }

    /** The server name, once both parts of the URI are checked as the spec requires. */
    private static ServerName checkedLocation(String server, String mediaId) {
        ServerName origin;
        try {
            origin = ServerName.parse(server);
        } catch (InvalidIdentifierException e) {
            throw MatrixException.invalidParam("Not a valid server name: " + e.getMessage());
        }
        if (!MediaId.isValid(mediaId)) {
            throw MatrixException.invalidParam("A media ID has only the characters A-Z, a-z, 0-9, _ and -");
        }
        return origin;
    }

    /** Media of another server: from the cache, else fetched from that server once and kept. */
    private MediaContent remoteDownload(String server, String mediaId) {
        if (remoteCache != null) {
            Optional<MediaContent> cached = remoteCache.get(server, mediaId);
            if (cached.isPresent()) {
                return cached.get();
            }
        }
        MediaContent content;
        try {
            content = remote.download(server, mediaId).get(remoteTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof MatrixException matrix) {
                throw matrix;
            }
            throw new MatrixException(502, MatrixException.M_UNKNOWN, "Fetching the media from " + server
                    + " failed: " + e.getCause().getMessage());
        } catch (TimeoutException e) {
            throw new MatrixException(504, MatrixException.M_UNKNOWN, server + " did not send the media in time");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MatrixException(503, MatrixException.M_UNKNOWN, "Interrupted while fetching the media");
        }
        if (content.bytes().length > settings.maxUploadBytes()) {
            throw new MatrixException(502, MatrixException.M_TOO_LARGE, "The remote content is too large to serve");
        }
        if (remoteCache != null) {
            remoteCache.put(server, mediaId, content);
        }
        return content;
    }

    private StoredMedia uploadedMedia(String mediaId) {
        StoredMedia media = store.read(tx -> tx.media().get(mediaId))
                .orElseThrow(() -> MatrixException.notFound("Unknown media ID"));
        if (!media.isUploaded()) {
            if (media.unusedExpiresTs() != null && media.unusedExpiresTs() <= clock.millis()) {
                throw MatrixException.notFound("Unknown media ID");
            }
            throw new MatrixException(504, M_NOT_YET_UPLOADED, "Content has not yet been uploaded");
        }
        return media;
    }

    private boolean isLocal(String server) {
        try {
            return ServerName.parse(server).equals(serverName);
        } catch (InvalidIdentifierException e) {
            return false;
        }
    }

    private void checkPendingFor(StoredMedia media, UserId uploader, long now) {
        if (media.isUploaded()) {
            throw overwrite();
        }
        if (media.unusedExpiresTs() != null && media.unusedExpiresTs() <= now) {
            throw MatrixException.notFound("The media ID has expired");
        }
        if (!media.uploader().equals(uploader.toString())) {
            throw MatrixException.forbidden("The media ID was created by another user");
        }
    }

    private void checkSize(byte[] content) {
        if (content.length > settings.maxUploadBytes()) {
            throw MatrixException.tooLarge("Cannot upload files larger than " + settings.maxUploadBytes() + " bytes");
        }
    }

    private void checkQuota(long used, long more) {
        if (used + more > settings.perUserQuotaBytes()) {
            throw MatrixException.forbidden("Cannot upload this content: it would exceed the quota of "
                    + settings.perUserQuotaBytes() + " bytes (" + used + " bytes used)");
        }
    }

    private static String checkedFileName(Optional<String> fileName) {
        if (fileName.isEmpty() || fileName.get().isEmpty()) {
            return null;
        }
        String name = fileName.get();
        if (name.length() > MAX_FILE_NAME_LENGTH || name.chars().anyMatch(Character::isISOControl)) {
            throw MatrixException.invalidParam("The file name is too long or has control characters");
        }
        return name;
    }

    private static MatrixException overwrite() {
        return new MatrixException(409, M_CANNOT_OVERWRITE_MEDIA, "Media already uploaded");
    }

    private String contentUri(String mediaId) {
        return "mxc://" + serverName + "/" + mediaId;
    }

    /** Runs a write unit and waits for its commit, rethrowing the unit's own exception. */
    private <T> T commit(WriteUnit<T> unit) {
        try {
            return store.write(unit).join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }

    /** A random media ID collided with an existing one; another is tried. */
    private static final class MediaIdTaken extends RuntimeException {
        private static final long serialVersionUID = 1L;

        MediaIdTaken() {
            super("media ID taken", null, false, false);
        }
    }
}
