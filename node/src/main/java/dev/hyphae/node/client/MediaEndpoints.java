package dev.hyphae.node.client;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyphae.node.http.Authentication;
import dev.hyphae.node.http.EndpointGroup;
import dev.hyphae.node.http.MatrixException;
import dev.hyphae.node.http.MatrixRequest;
import dev.hyphae.node.http.MatrixResponse;
import dev.hyphae.node.http.Method;
import dev.hyphae.node.http.RouteTable;
import dev.hyphae.node.media.ContentHeaders;
import dev.hyphae.node.media.CreatedMedia;
import dev.hyphae.node.media.MediaContent;
import dev.hyphae.node.media.MediaRepository;
import dev.hyphae.node.media.ThumbnailMethod;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The content repository (client-server API, "Content repository"): upload and asynchronous upload
 * under {@code /_matrix/media}, and download, thumbnail, configuration and URL preview both under
 * the authenticated {@code /_matrix/client/v1/media} and the deprecated, unauthenticated
 * {@code /_matrix/media/v3} (and {@code r0}) paths.
 *
 * <p>The unauthenticated downloads stay open rather than "frozen" as the spec suggests, because
 * clients still in use (matrix-nio) know only them.
 */
public final class MediaEndpoints implements EndpointGroup {
    private static final String LEGACY = "/_matrix/media/v3";
    private static final String AUTHED = "/_matrix/client/v1/media";

    private final MediaRepository media;
    private final long uploadLimit;

    /**
     * @param maxRequestBodyBytes the server's own limit on request bodies, which caps uploads too and
     *                            so is part of the {@code m.upload.size} told to clients
     */
    public MediaEndpoints(MediaRepository media, long maxRequestBodyBytes) {
        this.media = Objects.requireNonNull(media, "media");
        this.uploadLimit = Math.min(media.settings().maxUploadBytes(), maxRequestBodyBytes);
    }

    @Override
    public void register(RouteTable routes) {
        routes.add(Method.POST, LEGACY + "/upload", Authentication.REQUIRED, this::upload)
                .add(Method.PUT, LEGACY + "/upload/{serverName}/{mediaId}", Authentication.REQUIRED, this::uploadTo)
                .add(Method.POST, "/_matrix/media/v1/create", Authentication.REQUIRED, this::create);
        for (String prefix : new String[] {LEGACY, AUTHED}) {
            Authentication authentication = prefix.equals(LEGACY) ? Authentication.NONE : Authentication.REQUIRED;
            routes.add(Method.GET, prefix + "/download/{serverName}/{mediaId}", authentication, this::download)
                    .add(Method.GET, prefix + "/download/{serverName}/{mediaId}/{fileName}", authentication,
                            this::downloadAs)
                    .add(Method.GET, prefix + "/thumbnail/{serverName}/{mediaId}", authentication, this::thumbnail)
                    .add(Method.GET, prefix + "/config", Authentication.REQUIRED, this::config)
                    .add(Method.GET, prefix + "/preview_url", Authentication.REQUIRED, this::previewUrl);
        }
    }

    /** POST /_matrix/media/v3/upload */
    MatrixResponse upload(MatrixRequest request) {
        String uri = media.upload(request.requester().userId(),
                ContentHeaders.uploadedContentType(request.header("content-type")),
                request.queryParameter("filename"), request.bodyBytes());
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("content_uri", uri);
        return MatrixResponse.ok(body);
    }

    /** PUT /_matrix/media/v3/upload/{serverName}/{mediaId} */
    MatrixResponse uploadTo(MatrixRequest request) {
        media.uploadTo(request.requester().userId(), request.pathParameter("serverName"),
                request.pathParameter("mediaId"), ContentHeaders.uploadedContentType(request.header("content-type")),
                request.queryParameter("filename"), request.bodyBytes());
        return MatrixResponse.ok(JsonNodeFactory.instance.objectNode());
    }

    /** POST /_matrix/media/v1/create */
    MatrixResponse create(MatrixRequest request) {
        CreatedMedia created = media.create(request.requester().userId());
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("content_uri", created.contentUri());
        body.put("unused_expires_at", created.unusedExpiresAt());
        return MatrixResponse.ok(body);
    }

    /** GET .../download/{serverName}/{mediaId} */
    MatrixResponse download(MatrixRequest request) {
        MediaContent content = media.download(request.pathParameter("serverName"), request.pathParameter("mediaId"));
        return serve(content, ContentHeaders.contentDisposition(content.contentType(), content.fileName()));
    }

    /** GET .../download/{serverName}/{mediaId}/{fileName}: the same content under the caller's file name. */
    MatrixResponse downloadAs(MatrixRequest request) {
        MediaContent content = media.download(request.pathParameter("serverName"), request.pathParameter("mediaId"));
        Optional<String> fileName = Optional.of(request.pathParameter("fileName"));
        return serve(content, ContentHeaders.contentDisposition(content.contentType(), fileName));
    }

    /** GET .../thumbnail/{serverName}/{mediaId}?width&height&method */
    MatrixResponse thumbnail(MatrixRequest request) {
        int width = dimension(request, "width");
        int height = dimension(request, "height");
        ThumbnailMethod method = request.queryParameter("method")
                .map(name -> ThumbnailMethod.named(name).orElseThrow(
                        () -> MatrixException.invalidParam("method must be crop or scale")))
                .orElse(ThumbnailMethod.SCALE);
        MediaContent thumbnail = media.thumbnail(request.pathParameter("serverName"),
                request.pathParameter("mediaId"), width, height, method);
        // The spec requires thumbnails to be inline; only PNG, JPEG and GIF (all inline types) get here.
        return serve(thumbnail, ContentHeaders.inlineDisposition(thumbnail.fileName()));
    }

    /** GET .../config */
    MatrixResponse config(MatrixRequest request) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("m.upload.size", uploadLimit);
        return MatrixResponse.ok(body);
    }

    /**
     * GET .../preview_url: URL previews are off. Fetching a URL seen in a message would make this
     * node contact an arbitrary server, revealing the user's address and what they read, even for
     * encrypted rooms. The spec asks for 404 {@code M_UNRECOGNIZED} when an endpoint is "not
     * implemented", which is what a disabled feature is to a client, and clients then simply show
     * no preview; 403 would instead suggest that this user lacks a permission.
     */
    MatrixResponse previewUrl(MatrixRequest request) {
        throw MatrixException.unrecognized(404, "URL previews are disabled on this server for privacy");
    }

    private static MatrixResponse serve(MediaContent content, String disposition) {
        MatrixResponse response = MatrixResponse.bytes(200, content.contentType(), content.bytes())
                .withHeader("Content-Disposition", disposition);
        for (Map.Entry<String, String> header : ContentHeaders.securityHeaders().entrySet()) {
            response = response.withHeader(header.getKey(), header.getValue());
        }
        return response;
    }

    private static int dimension(MatrixRequest request, String name) {
        String value = request.queryParameter(name)
                .orElseThrow(() -> MatrixException.missingParam("Missing query parameter " + name));
        try {
            int parsed = Integer.parseInt(value);
            if (parsed < 1) {
                throw MatrixException.invalidParam(name + " must be a positive integer");
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw MatrixException.invalidParam(name + " must be a positive integer");
        }
    }
}
