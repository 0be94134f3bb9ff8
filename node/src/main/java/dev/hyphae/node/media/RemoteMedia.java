package dev.hyphae.node.media;

import dev.hyphae.node.http.MatrixException;
import java.util.concurrent.CompletableFuture;

/**
 * The seam to other servers for their media: the federation layer implements it with
 * {@code GET /_matrix/federation/v1/media/download/{mediaId}}.
 */
public interface RemoteMedia {
    /**
     * The content of {@code mxc://server/mediaId} as its server gives it. Fails with a
     * {@link MatrixException}: 404 {@code M_NOT_FOUND} when the server has no such media, 502
     * when it could not be reached or answered with an error.
     */
    CompletableFuture<MediaContent> download(String server, String mediaId);

    /** No federation: remote media does not exist here. */
    RemoteMedia NONE = (server, mediaId) -> CompletableFuture.failedFuture(
            MatrixException.notFound("Remote media is not available"));
}
