package dev.hyphae.node.federation.media;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hyphae.node.federation.FederationBytes;
import dev.hyphae.node.federation.FederationClient;
import dev.hyphae.node.federation.FederationException;
import dev.hyphae.node.federation.FederationRequest;
import dev.hyphae.node.http.MatrixException;
import dev.hyphae.node.http.MatrixRequest;
import dev.hyphae.node.http.MatrixResponse;
import dev.hyphae.node.http.Method;
import dev.hyphae.node.identifier.ServerName;
import dev.hyphae.node.identifier.UserId;
import dev.hyphae.node.media.ContentFiles;
import dev.hyphae.node.media.MediaContent;
import dev.hyphae.node.media.MediaRepository;
import dev.hyphae.node.media.MediaSettings;
import dev.hyphae.node.media.RemoteMediaCache;
import dev.hyphae.node.media.ThumbnailMethod;
import dev.hyphae.store.Account;
import dev.hyphae.store.sqlite.SqliteStore;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Media across two servers: server A serves its media at the federation endpoints, server B's
 * repository fetches it for its clients through {@link FederatedMedia} and keeps it.
 */
class FederatedMediaTest {
    private static final String A = "a.example";
    private static final String B = "b.example";
    private static final UserId ALICE = UserId.parse("@alice:" + A);

    @TempDir
    Path dirA;
    @TempDir
    Path dirB;

    private SqliteStore storeA;
    private SqliteStore storeB;
    private MediaRepository mediaA;
    private MediaFederationEndpoints endpointsA;
    private final List<FederationRequest> requests = new CopyOnWriteArrayList<>();
    private volatile boolean reachable = true;
    private final FederationClient client = new FederationClient() {
        @Override
        public CompletableFuture<JsonNode> request(FederationRequest request) {
            throw new AssertionError("media is fetched as bytes");
        }

        @Override
        public CompletableFuture<FederationBytes> requestBytes(FederationRequest request) {
            requests.add(request);
            if (!reachable) {
                return CompletableFuture.failedFuture(FederationException.unreachable(request.destination(), "down", null));
            }
            String mediaId = request.uri().substring(request.uri().lastIndexOf('/') + 1);
            try {
                MatrixResponse response = endpointsA.download(B, get(mediaId, Map.of()));
                return CompletableFuture.completedFuture(
                        new FederationBytes(response.status(), response.contentType(), response.body()));
            } catch (MatrixException e) {
                return CompletableFuture.failedFuture(
                        FederationException.answered(request.destination(), e.status(), e.errcode(), e.getMessage()));
            }
        }
    };

    @BeforeEach
    void open() {
        storeA = SqliteStore.openInDirectory(dirA);
        storeB = SqliteStore.openInDirectory(dirB);
        storeA.write(tx -> {
            tx.accounts().create(new Account(ALICE.toString(), null, 0, false, false));
            return null;
        }).join();
        SecureRandom random = new SecureRandom();
        mediaA = new MediaRepository(storeA, ServerName.parse(A), new ContentFiles(dirA), MediaSettings.defaults(),
                random, Clock.systemUTC());
        endpointsA = new MediaFederationEndpoints(mediaA, A, random);
    }

    @AfterEach
    void close() {
        storeA.close();
        storeB.close();
    }

    private MediaRepository mediaB() {
        ContentFiles files = new ContentFiles(dirB);
        return new MediaRepository(storeB, ServerName.parse(B), files, MediaSettings.defaults(), new SecureRandom(),
                Clock.systemUTC(), new FederatedMedia(client), new RemoteMediaCache(dirB, files), Duration.ofSeconds(10));
    }

    private static MatrixRequest get(String mediaId, Map<String, List<String>> query) {
        return new MatrixRequest(Method.GET, "/_matrix/federation/v1/media/download/" + mediaId,
                Map.of("mediaId", mediaId), query, Map.of(), new byte[0], "peer", null);
    }

    private static String mediaIdOf(String uri) {
        return uri.substring(uri.lastIndexOf('/') + 1);
    }

    @Test
    void anotherServersMediaIsFetchedOverFederationOnceAndKeptAcrossRestarts() {
        byte[] content = "the content of a file".getBytes(StandardCharsets.UTF_8);
        String mediaId = mediaIdOf(mediaA.upload(ALICE, "text/plain", Optional.of("naïve notes.txt"), content));

        MediaContent fetched = mediaB().download(A, mediaId);
        assertArrayEquals(content, fetched.bytes());
        assertEquals("text/plain", fetched.contentType());
        assertEquals(Optional.of("naïve notes.txt"), fetched.fileName());
        assertEquals(1, requests.size());
        assertEquals(A, requests.get(0).destination());
        assertEquals("/_matrix/federation/v1/media/download/" + mediaId, requests.get(0).uri());

        reachable = false;
        assertArrayEquals(content, mediaB().download(A, mediaId).bytes());
        assertEquals(1, requests.size());
    }

    @Test
    void aThumbnailOfAnotherServersImageIsMadeFromTheFetchedOriginal() throws Exception {
        BufferedImage image = new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB);
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(image, "png", png);
        String mediaId = mediaIdOf(mediaA.upload(ALICE, "image/png", Optional.empty(), png.toByteArray()));
        MediaContent thumbnail = mediaB().thumbnail(A, mediaId, 32, 24, ThumbnailMethod.SCALE);
        BufferedImage read = ImageIO.read(new java.io.ByteArrayInputStream(thumbnail.bytes()));
        assertTrue(read.getWidth() <= 32, "width " + read.getWidth());
    }

    @Test
    void mediaTheOtherServerDoesNotHaveIsNotFound() {
        MatrixException missing = assertThrows(MatrixException.class, () -> mediaB().download(A, "NoSuchMedia"));
        assertEquals(404, missing.status());
        assertEquals("M_NOT_FOUND", missing.errcode());
    }

    @Test
    void anUnreachableServerGivesBadGateway() {
        reachable = false;
        MatrixException failed = assertThrows(MatrixException.class, () -> mediaB().download(A, "SomeMedia"));
        assertEquals(502, failed.status());
    }

    @Test
    void theFederationDownloadAnswersMultipartWithEmptyMetadataThenTheContent() {
        byte[] content = {1, 2, 3, 4};
        String mediaId = mediaIdOf(mediaA.upload(ALICE, "application/octet-stream", Optional.empty(), content));
        MatrixResponse response = endpointsA.download(B, get(mediaId, Map.of()));
        assertTrue(response.contentType().startsWith("multipart/mixed; boundary="), response.contentType());
        List<MultipartMixed.Part> parts = MultipartMixed.read(response.contentType(), response.body());
        assertEquals("application/json", parts.get(0).header("content-type").orElseThrow());
        assertEquals("{}", new String(parts.get(0).body(), StandardCharsets.UTF_8));
        assertEquals("application/octet-stream", parts.get(1).header("content-type").orElseThrow());
        assertEquals("attachment", parts.get(1).header("content-disposition").orElseThrow());
        assertArrayEquals(content, parts.get(1).body());
    }

    @Test
    void theFederationDownloadOfUnknownMediaIsNotFoundAndOfAMalformedIdAnInvalidParameter() {
        MatrixException unknown = assertThrows(MatrixException.class,
                () -> endpointsA.download(B, get("NoSuchMedia", Map.of())));
        assertEquals(404, unknown.status());
        MatrixException malformed = assertThrows(MatrixException.class,
                () -> endpointsA.download(B, get("no.such", Map.of())));
        assertEquals(400, malformed.status());
        assertEquals("M_INVALID_PARAM", malformed.errcode());
    }

    @Test
    void theFederationThumbnailNeedsPositiveDimensions() {
        MatrixException refused = assertThrows(MatrixException.class, () -> endpointsA.thumbnail(B,
                get("SomeMedia", Map.of("width", List.of("0"), "height", List.of("10")))));
        assertEquals("M_INVALID_PARAM", refused.errcode());
        MatrixException missing = assertThrows(MatrixException.class, () -> endpointsA.thumbnail(B,
                get("SomeMedia", Map.of("width", List.of("10")))));
        assertEquals("M_MISSING_PARAM", missing.errcode());
    }

    @Test
    void fileNamesAreReadFromBothFormsOfContentDisposition() {
        assertEquals(Optional.of("naïve.txt"),
                FederatedMedia.fileName("attachment; filename=\"na_ve.txt\"; filename*=UTF-8''na%C3%AFve.txt"));
        assertEquals(Optional.of("plain.txt"), FederatedMedia.fileName("inline; filename=\"plain.txt\""));
        assertEquals(Optional.of("bare.txt"), FederatedMedia.fileName("inline; filename=bare.txt"));
        assertEquals(Optional.empty(), FederatedMedia.fileName("inline"));
    }
}
