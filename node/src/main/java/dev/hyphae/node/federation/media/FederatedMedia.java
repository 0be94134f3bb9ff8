package dev.hyphae.node.federation.media;

import dev.hyphae.node.federation.FederationBytes;
import dev.hyphae.node.federation.FederationClient;
import dev.hyphae.node.federation.FederationException;
import dev.hyphae.node.federation.FederationRequest;
import dev.hyphae.node.http.MatrixException;
import dev.hyphae.node.media.ContentHeaders;
import dev.hyphae.node.media.MediaContent;
import dev.hyphae.node.media.RemoteMedia;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Other servers' media over federation: {@code GET /_matrix/federation/v1/media/download/{mediaId}}
 * to the server of the {@code mxc://} URI, whose {@code multipart/mixed} answer is read into the
 * content, its type and its file name. An answer that redirects ({@code Location}) instead of
 * carrying the bytes is refused: following it would make this node fetch an arbitrary URL.
 */
public final class FederatedMedia implements RemoteMedia {
    private static final Pattern FILE_NAME_STAR = Pattern.compile("(?i)filename\\*\\s*=\\s*UTF-8''([^;\\s]+)");
    private static final Pattern FILE_NAME = Pattern.compile("(?i)filename\\s*=\\s*(\"([^\"]*)\"|([^;\\s]+))");

    private final FederationClient client;

    public FederatedMedia(FederationClient client) {
        this.client = Objects.requireNonNull(client, "client");
    }

    @Override
    public CompletableFuture<MediaContent> download(String server, String mediaId) {
        CompletableFuture<FederationBytes> answer;
        try {
            answer = client.requestBytes(FederationRequest.get(server, MediaFederationEndpoints.V1 + "/download/"
                    + mediaId));
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        return answer.handle((bytes, error) -> {
            if (error != null) {
                throw new CompletionException(failure(server, error));
            }
            try {
                return content(bytes);
            } catch (IllegalArgumentException e) {
                throw new CompletionException(new MatrixException(502, MatrixException.M_UNKNOWN,
                        server + " sent media this server cannot read: " + e.getMessage()));
            }
        });
    }

    /** The media part of a download answer. */
    static MediaContent content(FederationBytes answer) {
        List<MultipartMixed.Part> parts = MultipartMixed.read(answer.contentType(), answer.body());
        if (parts.size() != 2) {
            throw new IllegalArgumentException("expected 2 parts, got " + parts.size());
        }
        MultipartMixed.Part media = parts.get(1);
        if (media.header("location").isPresent()) {
            throw new IllegalArgumentException("redirects to a URL are not followed");
        }
        String contentType = ContentHeaders.uploadedContentType(media.header("content-type"));
        return new MediaContent(media.body(), contentType, media.header("content-disposition")
                .flatMap(FederatedMedia::fileName));
    }

    /** The file name of a Content-Disposition header, preferring the exact {@code filename*}. */
    static Optional<String> fileName(String disposition) {
        Matcher star = FILE_NAME_STAR.matcher(disposition);
        if (star.find()) {
            try {
                return Optional.of(URLDecoder.decode(star.group(1).replace("+", "%2B"), StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                // A malformed filename*: fall back to the plain one.
            }
        }
        Matcher plain = FILE_NAME.matcher(disposition);
        while (plain.find()) {
            if (plain.start() > 0 && disposition.charAt(plain.start() - 1) == '*') {
                continue;
            }
            String name = plain.group(2) != null ? plain.group(2) : plain.group(3);
            return name.isEmpty() ? Optional.empty() : Optional.of(name);
        }
        return Optional.empty();
    }

    private static MatrixException failure(String server, Throwable error) {
        Throwable cause = error;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof FederationException federation && federation.status() == 404) {
            return MatrixException.notFound("Unknown media ID");
        }
        return new MatrixException(502, MatrixException.M_UNKNOWN, "Fetching the media from " + server + " failed: "
                + cause.getMessage());
    }
}
