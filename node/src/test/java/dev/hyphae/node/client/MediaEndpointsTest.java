package dev.hyphae.node.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hyphae.node.account.AccountService;
import dev.hyphae.node.account.AccountSettings;
import dev.hyphae.node.account.Argon2Settings;
import dev.hyphae.node.account.PasswordHasher;
import dev.hyphae.node.http.HttpSettings;
import dev.hyphae.node.http.MatrixHttpServer;
import dev.hyphae.node.http.RouteTable;
import dev.hyphae.node.identifier.ServerName;
import dev.hyphae.node.media.ContentFiles;
import dev.hyphae.node.media.MediaRepository;
import dev.hyphae.node.media.MediaSettings;
import dev.hyphae.store.sqlite.SqliteStore;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MediaEndpointsTest {
    private static final ServerName SERVER = ServerName.parse("localhost");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SpecResponseSchemas SCHEMAS = SpecResponseSchemas.load();
    private static final String UPLOAD = "/_matrix/media/v3/upload";
    private static final int BODY_LIMIT = 64 * 1024;
    private static final long UPLOAD_LIMIT = 16 * 1024;
    private static final long QUOTA = 40 * 1024;

    @TempDir
    Path dataDir;

    private SqliteStore store;
    private MatrixHttpServer server;
    private URI base;
    private String token;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @BeforeEach
    void start() {
        store = SqliteStore.openInDirectory(dataDir);
        SecureRandom random = new SecureRandom();
        AccountService accounts = new AccountService(store, SERVER,
                new PasswordHasher(new Argon2Settings(64, 1, 1), random), AccountSettings.defaults(), random,
                Clock.systemUTC());
        MediaSettings settings = MediaSettings.defaults().withMaxUploadBytes(UPLOAD_LIMIT)
                .withPerUserQuotaBytes(QUOTA).withMaxPendingUploads(2);
        MediaRepository media = new MediaRepository(store, SERVER, new ContentFiles(dataDir), settings, random,
                Clock.systemUTC());
        RouteTable routes = new RouteTable().register(ClientApi.media(media, BODY_LIMIT));
        server = new MatrixHttpServer(HttpSettings.defaults().withAddress("127.0.0.1", 0).withMaxBodyBytes(BODY_LIMIT),
                routes, accounts);
        base = URI.create("http://127.0.0.1:" + server.start().getPort());
        token = login(accounts, "alice");
    }

    @AfterEach
    void stop() {
        server.close();
        store.close();
    }

    private static String login(AccountService accounts, String localpart) {
        var user = accounts.createAccount(localpart, "pw", false);
        return accounts.logIn(user, null, null, false, "127.0.0.1").accessToken();
    }

    private HttpResponse<byte[]> send(String method, String path, String contentType, byte[] body, String bearer) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        try {
            return client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new AssertionError("request failed: " + path, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** A JSON response, checked against the spec's schema for {@code specPath}. */
    private JsonNode json(HttpResponse<byte[]> response, String method, String specPath) {
        String text = new String(response.body(), StandardCharsets.UTF_8);
        SCHEMAS.assertValid(method, specPath, response.statusCode(), text);
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }

    private String upload(String contentType, String fileName, byte[] content) {
        HttpResponse<byte[]> response = send("POST", UPLOAD + (fileName == null ? "" : "?filename=" + fileName),
                contentType, content, token);
        JsonNode body = json(response, "POST", UPLOAD);
        assertEquals(200, response.statusCode(), body.toString());
        String uri = body.get("content_uri").asText();
        assertTrue(uri.startsWith("mxc://localhost/"), uri);
        return uri.substring("mxc://".length());
    }

    private static byte[] png(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D graphics = image.createGraphics();
        graphics.setColor(Color.ORANGE);
        graphics.fillRect(0, 0, width, height);
        graphics.setColor(Color.BLUE);
        graphics.fillRect(width / 4, height / 4, width / 2, height / 2);
        graphics.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", out);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return out.toByteArray();
    }

    private static BufferedImage image(byte[] bytes) {
        try {
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(bytes));
            if (image == null) {
                throw new AssertionError("not an image");
            }
            return image;
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void uploadedContentIsDownloadedByteForByteOnEveryPath() {
        byte[] content = new byte[10_000];
        new SecureRandom().nextBytes(content);
        String mxc = upload("application/pdf", "report.pdf", content);
        for (String path : new String[] {"/_matrix/client/v1/media/download/", "/_matrix/media/v3/download/",
                "/_matrix/media/r0/download/"}) {
            HttpResponse<byte[]> response = send("GET", path + mxc, null, null, token);
            assertEquals(200, response.statusCode(), path);
            assertArrayEquals(content, response.body(), path);
            assertEquals("application/pdf", response.headers().firstValue("Content-Type").orElseThrow());
            assertEquals("attachment; filename=\"report.pdf\"",
                    response.headers().firstValue("Content-Disposition").orElseThrow());
            assertTrue(response.headers().firstValue("Content-Security-Policy").orElseThrow().startsWith("sandbox"));
            assertEquals("cross-origin", response.headers().firstValue("Cross-Origin-Resource-Policy").orElseThrow());
        }
    }

    @Test
    void theLegacyUploadPathUnderR0WorksToo() {
        byte[] content = "hello".getBytes(StandardCharsets.UTF_8);
        HttpResponse<byte[]> response = send("POST", "/_matrix/media/r0/upload", "text/plain", content, token);
        String mxc = json(response, "POST", UPLOAD).get("content_uri").asText().substring("mxc://".length());
        HttpResponse<byte[]> download = send("GET", "/_matrix/media/r0/download/" + mxc, null, null, null);
        assertArrayEquals(content, download.body());
        assertEquals("inline", download.headers().firstValue("Content-Disposition").orElseThrow(),
                "text/plain is a type the spec lets be shown inline; no file name was given");
    }

    @Test
    void theAuthenticatedDownloadNeedsATokenAndTheLegacyOneDoesNot() {
        String mxc = upload("text/plain", null, new byte[] {1, 2, 3});
        HttpResponse<byte[]> anonymous = send("GET", "/_matrix/client/v1/media/download/" + mxc, null, null, null);
        assertEquals(401, anonymous.statusCode());
        assertEquals("M_MISSING_TOKEN", json(anonymous, "GET", "/_matrix/client/v1/media/download/" + mxc)
                .get("errcode").asText());
        assertEquals(200, send("GET", "/_matrix/media/v3/download/" + mxc, null, null, null).statusCode());
    }

    @Test
    void htmlIsServedAsAnAttachmentAndTheFileNameCanBeOverridden() {
        String mxc = upload("text/html", "page.html", "<script>alert(1)</script>".getBytes(StandardCharsets.UTF_8));
        HttpResponse<byte[]> response = send("GET", "/_matrix/client/v1/media/download/" + mxc + "/Grüße.html",
                null, null, token);
        assertEquals(200, response.statusCode());
        assertEquals("text/html", response.headers().firstValue("Content-Type").orElseThrow());
        assertEquals("attachment; filename=\"Gr__e.html\"; filename*=UTF-8''Gr%C3%BC%C3%9Fe.html",
                response.headers().firstValue("Content-Disposition").orElseThrow());
        assertEquals("nosniff", response.headers().firstValue("X-Content-Type-Options").orElseThrow());
    }

    @Test
    void identicalContentIsStoredOnceUnderTwoMediaIds() throws IOException {
        byte[] content = "same bytes".getBytes(StandardCharsets.UTF_8);
        String first = upload("text/plain", null, content);
        String second = upload("text/plain", null, content);
        assertTrue(!first.equals(second));
        assertEquals(1, contentFileCount());
        assertArrayEquals(content, send("GET", "/_matrix/media/v3/download/" + second, null, null, null).body());
    }

    @Test
    void scaledThumbnailKeepsTheAspectRatioAndIsNeverSmallerThanRequested() {
        String mxc = upload("image/png", "wide.png", png(400, 200));
        HttpResponse<byte[]> exact = send("GET", "/_matrix/client/v1/media/thumbnail/" + mxc
                + "?width=200&height=100&method=scale", null, null, token);
        assertEquals(200, exact.statusCode());
        assertEquals("image/png", exact.headers().firstValue("Content-Type").orElseThrow());
        assertEquals("inline; filename=\"thumbnail.png\"", exact.headers().firstValue("Content-Disposition").orElseThrow());
        BufferedImage image = image(exact.body());
        assertEquals(200, image.getWidth());
        assertEquals(100, image.getHeight());

        BufferedImage square = image(send("GET", "/_matrix/media/v3/thumbnail/" + mxc
                + "?width=100&height=100&method=scale", null, null, null).body());
        assertEquals(200, square.getWidth(), "covers the requested box, aspect ratio 2:1 kept");
        assertEquals(100, square.getHeight());
    }

    @Test
    void croppedThumbnailHasTheRequestedSize() {
        String mxc = upload("image/png", null, png(400, 200));
        HttpResponse<byte[]> response = send("GET", "/_matrix/media/r0/thumbnail/" + mxc
                + "?width=96&height=96&method=crop", null, null, null);
        assertEquals(200, response.statusCode());
        BufferedImage image = image(response.body());
        assertEquals(96, image.getWidth());
        assertEquals(96, image.getHeight());
        // The centre of the test image is blue, so a centred crop is blue in its middle.
        assertEquals(Color.BLUE.getRGB(), image.getRGB(48, 48) | 0xFF000000);
    }

    @Test
    void aThumbnailLargerThanTheImageIsTheOriginal() {
        byte[] original = png(40, 30);
        String mxc = upload("image/png", null, original);
        HttpResponse<byte[]> response = send("GET", "/_matrix/client/v1/media/thumbnail/" + mxc
                + "?width=320&height=240&method=scale", null, null, token);
        assertEquals(200, response.statusCode());
        assertArrayEquals(original, response.body());
    }

    @Test
    void nonImageMediaAndBadSizesGetClearThumbnailErrors() {
        String text = upload("text/plain", null, "not an image".getBytes(StandardCharsets.UTF_8));
        String path = "/_matrix/client/v1/media/thumbnail/" + text;
        HttpResponse<byte[]> notImage = send("GET", path + "?width=32&height=32", null, null, token);
        assertEquals(400, notImage.statusCode());
        assertTrue(json(notImage, "GET", path).get("error").asText().contains("text/plain"));

        String fake = upload("image/png", null, "not really a png".getBytes(StandardCharsets.UTF_8));
        HttpResponse<byte[]> corrupt = send("GET", "/_matrix/media/v3/thumbnail/" + fake + "?width=32&height=32",
                null, null, null);
        assertEquals(400, corrupt.statusCode());

        for (String query : new String[] {"?width=0&height=32", "?width=x&height=32", "?width=32&height=32&method=zoom"}) {
            HttpResponse<byte[]> bad = send("GET", path + query, null, null, token);
            assertEquals(400, bad.statusCode(), query);
            assertEquals("M_INVALID_PARAM", json(bad, "GET", path).get("errcode").asText());
        }
        HttpResponse<byte[]> missing = send("GET", path + "?width=32", null, null, token);
        assertEquals("M_MISSING_PARAM", json(missing, "GET", path).get("errcode").asText());
    }

    @Test
    void anUploadAboveTheSizeLimitIsTooLarge() {
        HttpResponse<byte[]> response = send("POST", UPLOAD, "application/octet-stream",
                new byte[(int) UPLOAD_LIMIT + 1], token);
        assertEquals(413, response.statusCode());
        assertEquals("M_TOO_LARGE", json(response, "POST", UPLOAD).get("errcode").asText());
        upload("application/octet-stream", null, new byte[(int) UPLOAD_LIMIT]);
    }

    @Test
    void uploadsBeyondTheQuotaAreForbidden() throws IOException {
        upload("application/octet-stream", null, new byte[16 * 1024]);
        upload("application/octet-stream", null, new byte[16 * 1024]);
        HttpResponse<byte[]> response = send("POST", UPLOAD, "application/octet-stream", new byte[9 * 1024], token);
        assertEquals(403, response.statusCode());
        assertEquals("M_FORBIDDEN", json(response, "POST", UPLOAD).get("errcode").asText());
        assertEquals(1, contentFileCount(), "the refused upload left no file behind (the two accepted ones are equal)");
        upload("application/octet-stream", null, new byte[8 * 1024]);
    }

    private long contentFileCount() throws IOException {
        try (Stream<Path> files = Files.walk(dataDir.resolve("media"))) {
            return files.filter(Files::isRegularFile).count();
        }
    }

    @Test
    void unknownMediaIsNotFound() {
        for (String path : new String[] {"/_matrix/client/v1/media/download/localhost/nosuchmedia",
                "/_matrix/media/v3/download/localhost/nosuchmedia",
                "/_matrix/client/v1/media/thumbnail/localhost/nosuchmedia?width=32&height=32",
                "/_matrix/client/v1/media/download/other.example/abc"}) {
            HttpResponse<byte[]> response = send("GET", path, null, null, token);
            assertEquals(404, response.statusCode(), path);
            assertEquals("M_NOT_FOUND", json(response, "GET", path).get("errcode").asText());
        }
    }

    @Test
    void malformedServerNamesAndMediaIdsAreRejected() {
        for (String path : new String[] {"/_matrix/client/v1/media/download/bad_server!/abc",
                "/_matrix/client/v1/media/download/localhost/a.b",
                "/_matrix/media/v3/download/localhost/..%2F..%2Fetc",
                "/_matrix/client/v1/media/thumbnail/localhost/a%20b?width=1&height=1"}) {
            HttpResponse<byte[]> response = send("GET", path, null, null, token);
            assertEquals(400, response.statusCode(), path);
            assertEquals("M_INVALID_PARAM", json(response, "GET", path).get("errcode").asText());
        }
    }

    @Test
    void theConfigTellsTheUploadLimitOnBothPaths() {
        for (String path : new String[] {"/_matrix/client/v1/media/config", "/_matrix/media/v3/config"}) {
            HttpResponse<byte[]> response = send("GET", path, null, null, token);
            assertEquals(200, response.statusCode());
            assertEquals(UPLOAD_LIMIT, json(response, "GET", path).get("m.upload.size").asLong());
        }
        HttpResponse<byte[]> legacy = send("GET", "/_matrix/media/r0/config", null, null, token);
        assertEquals(UPLOAD_LIMIT, json(legacy, "GET", "/_matrix/media/v3/config").get("m.upload.size").asLong());
    }

    @Test
    void urlPreviewsAreDisabled() {
        for (String path : new String[] {"/_matrix/client/v1/media/preview_url?url=https://example.org",
                "/_matrix/media/v3/preview_url?url=https://example.org"}) {
            HttpResponse<byte[]> response = send("GET", path, null, null, token);
            assertEquals(404, response.statusCode());
            JsonNode body = json(response, "GET", path);
            assertEquals("M_UNRECOGNIZED", body.get("errcode").asText());
            assertTrue(body.get("error").asText().contains("disabled"));
        }
    }

    @Test
    void createdMediaIsPendingUntilItsOwnerUploadsOnce() {
        HttpResponse<byte[]> created = send("POST", "/_matrix/media/v1/create", null, null, token);
        JsonNode body = json(created, "POST", "/_matrix/media/v1/create");
        assertEquals(200, created.statusCode(), body.toString());
        assertTrue(body.get("unused_expires_at").asLong() > System.currentTimeMillis());
        String mxc = body.get("content_uri").asText().substring("mxc://".length());

        HttpResponse<byte[]> early = send("GET", "/_matrix/client/v1/media/download/" + mxc, null, null, token);
        assertEquals(504, early.statusCode());
        assertEquals("M_NOT_YET_UPLOADED", json(early, "GET", "/_matrix/client/v1/media/download/" + mxc)
                .get("errcode").asText());

        byte[] content = "later".getBytes(StandardCharsets.UTF_8);
        String put = UPLOAD + "/" + mxc + "?filename=later.txt";
        HttpResponse<byte[]> done = send("PUT", put, "text/plain", content, token);
        assertEquals(200, done.statusCode());
        json(done, "PUT", UPLOAD + "/" + mxc);
        HttpResponse<byte[]> again = send("PUT", put, "text/plain", content, token);
        assertEquals(409, again.statusCode());
        assertEquals("M_CANNOT_OVERWRITE_MEDIA", json(again, "PUT", UPLOAD + "/" + mxc).get("errcode").asText());

        HttpResponse<byte[]> download = send("GET", "/_matrix/client/v1/media/download/" + mxc, null, null, token);
        assertArrayEquals(content, download.body());
        assertEquals("inline; filename=\"later.txt\"", download.headers().firstValue("Content-Disposition").orElseThrow());
    }

    @Test
    void onlyTheCreatorUploadsToACreatedIdAndUnknownIdsAreNotFound() {
        String mxc = json(send("POST", "/_matrix/media/v1/create", null, null, token), "POST",
                "/_matrix/media/v1/create").get("content_uri").asText().substring("mxc://".length());
        String bob = loginBob();
        HttpResponse<byte[]> other = send("PUT", UPLOAD + "/" + mxc, "text/plain", new byte[] {1}, bob);
        assertEquals(403, other.statusCode());
        assertEquals("M_FORBIDDEN", json(other, "PUT", UPLOAD + "/" + mxc).get("errcode").asText());
        HttpResponse<byte[]> unknown = send("PUT", UPLOAD + "/localhost/nosuchid", "text/plain", new byte[] {1}, token);
        assertEquals(404, unknown.statusCode());
        assertEquals("M_NOT_FOUND", json(unknown, "PUT", UPLOAD + "/localhost/nosuchid").get("errcode").asText());
    }

    @Test
    void tooManyPendingUploadsAreRateLimited() {
        send("POST", "/_matrix/media/v1/create", null, null, token);
        send("POST", "/_matrix/media/v1/create", null, null, token);
        HttpResponse<byte[]> third = send("POST", "/_matrix/media/v1/create", null, null, token);
        assertEquals(429, third.statusCode());
        assertEquals("M_LIMIT_EXCEEDED", json(third, "POST", "/_matrix/media/v1/create").get("errcode").asText());
    }

    private String bobToken;

    private String loginBob() {
        if (bobToken == null) {
            // A second user through the same store the server uses.
            SecureRandom random = new SecureRandom();
            AccountService accounts = new AccountService(store, SERVER,
                    new PasswordHasher(new Argon2Settings(64, 1, 1), random), AccountSettings.defaults(), random,
                    Clock.systemUTC());
            bobToken = login(accounts, "bob");
        }
        return bobToken;
    }
}
