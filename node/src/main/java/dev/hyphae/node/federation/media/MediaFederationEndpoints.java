package dev.hyphae.node.federation.media;

import dev.hyphae.node.federation.FederationEndpointGroup;
import dev.hyphae.node.federation.FederationRoutes;
import dev.hyphae.node.http.MatrixException;
import dev.hyphae.node.http.MatrixRequest;
import dev.hyphae.node.http.MatrixResponse;
import dev.hyphae.node.http.Method;
import dev.hyphae.node.media.ContentHeaders;
import dev.hyphae.node.media.MediaContent;
import dev.hyphae.node.media.MediaRepository;
import dev.hyphae.node.media.ThumbnailMethod;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@code GET /_matrix/federation/v1/media/download/{mediaId}} and {@code .../thumbnail/{mediaId}}:
 * this server's own media for other servers, as {@code multipart/mixed} of the metadata (an empty
 * JSON object) and the content with its Content-Type and Content-Disposition. Errors are those of
 * the client download: 400 {@code M_INVALID_PARAM} for a malformed media ID, 404 for unknown media.
 */
public final class MediaFederationEndpoints implements FederationEndpointGroup {
    static final String V1 = "/_matrix/federation/v1/media";

    private final MediaRepository media;
    private final String localServer;
    private final SecureRandom random;

    public MediaFederationEndpoints(MediaRepository media, String localServer, SecureRandom random) {
        this.media = Objects.requireNonNull(media, "media");
        this.localServer = Objects.requireNonNull(localServer, "localServer");
        this.random = Objects.requireNonNull(random, "random");
    }

    @Override
    public void register(FederationRoutes routes) {
        routes.add(Method.GET, V1 + "/download/{mediaId}", this::download)
                .add(Method.GET, V1 + "/thumbnail/{mediaId}", this::thumbnail);
    }

    /** GET /_matrix/federation/v1/media/download/{mediaId} */
    MatrixResponse download(String origin, MatrixRequest request) {
        MediaContent content = media.download(localServer, request.pathParameter("mediaId"));
        return multipart(content, ContentHeaders.contentDisposition(content.contentType(), content.fileName()));
    }

    /** GET /_matrix/federation/v1/media/thumbnail/{mediaId}?width&height&method */
    MatrixResponse thumbnail(String origin, MatrixRequest request) {
        int width = dimension(request, "width");
        int height = dimension(request, "height");
        ThumbnailMethod method = request.queryParameter("method")
                .map(name -> ThumbnailMethod.named(name).orElseThrow(
                        () -> MatrixException.invalidParam("method must be crop or scale")))
                .orElse(ThumbnailMethod.SCALE);
        MediaContent thumbnail = media.thumbnail(localServer, request.pathParameter("mediaId"), width, height, method);
        return multipart(thumbnail, ContentHeaders.inlineDisposition(thumbnail.fileName()));
    }

    private MatrixResponse multipart(MediaContent content, String disposition) {
        Map<String, String> contentHeaders = new LinkedHashMap<>();
        contentHeaders.put("Content-Type", content.contentType());
        contentHeaders.put("Content-Disposition", disposition);
        String boundary = MultipartMixed.randomBoundary(random);
        byte[] body = MultipartMixed.write(boundary, List.of(
                new MultipartMixed.Part(Map.of("Content-Type", "application/json"),
                        "{}".getBytes(StandardCharsets.UTF_8)),
                new MultipartMixed.Part(contentHeaders, content.bytes())));
        return MatrixResponse.bytes(200, "multipart/mixed; boundary=" + boundary, body);
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
