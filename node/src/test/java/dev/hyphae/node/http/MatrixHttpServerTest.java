package dev.hyphae.node.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.hyphae.node.client.SpecResponseSchemas;
import dev.hyphae.node.identifier.UserId;
import dev.hyphae.store.TokenHash;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MatrixHttpServerTest {
    private static final SpecResponseSchemas SCHEMAS = SpecResponseSchemas.load();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String GOOD_TOKEN = "good-token";
    private static final Requester ALICE = new Requester(UserId.parse("@alice:localhost"), "DEVICE",
            TokenHash.of(GOOD_TOKEN));

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private MatrixHttpServer server;
    private URI base;
    private final CompletableFuture<MatrixResponse> later = new CompletableFuture<>();
    private final CountDownLatch blocking = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);

    private void start(UnaryOperator<HttpSettings> settings) {
        RouteTable routes = new RouteTable()
                .add(Method.GET, "/_matrix/client/v3/echo/{first}/{second}", Authentication.NONE, request -> {
                    var body = JsonNodeFactory.instance.objectNode();
                    body.put("first", request.pathParameter("first"));
                    body.put("second", request.pathParameter("second"));
                    body.put("q", request.queryParameter("q").orElse(""));
                    return MatrixResponse.ok(body);
                })
                .add(Method.GET, "/_matrix/client/v3/echo/fixed/{second}", Authentication.NONE,
                        request -> MatrixResponse.ok(JsonNodeFactory.instance.objectNode().put("fixed", true)))
                .add(Method.POST, "/_matrix/client/v3/object", Authentication.NONE, request -> {
                    JsonBody body = request.jsonObject();
                    return MatrixResponse.ok(JsonNodeFactory.instance.objectNode().put("name", body.string("name")));
                })
                .add(Method.GET, "/_matrix/client/v3/me", Authentication.REQUIRED, request ->
                        MatrixResponse.ok(JsonNodeFactory.instance.objectNode()
                                .put("user_id", request.requester().userId().toString())))
                .add(Method.GET, "/_matrix/client/v3/bug", Authentication.NONE, request -> {
                    throw new IllegalStateException("a handler bug");
                })
                .addAsync(Method.GET, "/_matrix/client/v3/later", Authentication.NONE, request -> later)
                .add(Method.GET, "/_matrix/client/v3/block", Authentication.NONE, request -> {
                    blocking.countDown();
                    release.await();
                    return MatrixResponse.ok(JsonNodeFactory.instance.objectNode());
                });
        AccessTokenAuthenticator authenticator = token -> {
            if (token.equals(GOOD_TOKEN)) {
                return ALICE;
            }
            throw MatrixException.unknownToken("Unrecognised access token", false);
        };
        server = new MatrixHttpServer(settings.apply(HttpSettings.defaults().withAddress("127.0.0.1", 0)), routes,
                authenticator);
        base = URI.create("http://127.0.0.1:" + server.start().getPort());
    }

    @AfterEach
    void stop() {
        release.countDown();
        if (server != null) {
            server.close();
        }
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return client.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(base.resolve(path)).GET());
    }

    private HttpResponse<String> post(String path, String body) {
        return send(HttpRequest.newBuilder(base.resolve(path)).POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private static JsonNode assertError(HttpResponse<String> response, int status, String errcode) throws IOException {
        assertEquals(status, response.statusCode(), response.body());
        SCHEMAS.assertStandardError(status, response.body());
        JsonNode body = JSON.readTree(response.body());
        assertEquals(errcode, body.get("errcode").asText(), response.body());
        assertTrue(body.get("error").asText().length() > 0);
        return body;
    }

    @Test
    void pathParametersArePercentDecodedAndR0ReachesTheSameHandler() throws Exception {
        start(s -> s);
        for (String version : new String[] {"v3", "r0"}) {
            HttpResponse<String> response = get("/_matrix/client/" + version + "/echo/%21room%3Aexample.org/a%2Fb+c?q=x%20y+z");
            assertEquals(200, response.statusCode(), response.body());
            JsonNode body = JSON.readTree(response.body());
            assertEquals("!room:example.org", body.get("first").asText());
            assertEquals("a/b+c", body.get("second").asText());
            assertEquals("x y z", body.get("q").asText());
        }
    }

    @Test
    void aLiteralSegmentWinsOverAParameter() throws Exception {
        start(s -> s);
        HttpResponse<String> response = get("/_matrix/client/v3/echo/fixed/x");
        assertTrue(JSON.readTree(response.body()).get("fixed").asBoolean(), response.body());
    }

    @Test
    void unknownEndpointsAndWrongMethodsAreUnrecognized() throws Exception {
        start(s -> s);
        assertError(get("/_matrix/client/v3/nothing/here"), 404, "M_UNRECOGNIZED");
        assertError(get("/_matrix/client/v3/object"), 405, "M_UNRECOGNIZED");
        assertError(send(HttpRequest.newBuilder(base.resolve("/_matrix/client/v3/object"))
                .method("PATCH", HttpRequest.BodyPublishers.noBody())), 405, "M_UNRECOGNIZED");
    }

    @Test
    void malformedPercentEncodingIsAnInvalidParameter() throws Exception {
        start(s -> s);
        String raw = rawExchange("GET /_matrix/client/v3/echo/%ZZ/x HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        assertTrue(raw.startsWith("HTTP/1.1 400"), raw);
        String body = raw.substring(raw.indexOf("\r\n\r\n") + 4);
        SCHEMAS.assertStandardError(400, body);
        assertEquals("M_INVALID_PARAM", JSON.readTree(body).get("errcode").asText());
        assertError(get("/_matrix/client/v3/echo/%C3%28/x"), 400, "M_INVALID_PARAM");
    }

    @Test
    void unparseableBodiesAreNotJsonAndWrongShapesAreBadJson() throws Exception {
        start(s -> s);
        assertError(post("/_matrix/client/v3/object", "{not json"), 400, "M_NOT_JSON");
        assertError(post("/_matrix/client/v3/object", ""), 400, "M_NOT_JSON");
        assertError(post("/_matrix/client/v3/object", "{\"name\": \"a\"} trailing"), 400, "M_NOT_JSON");
        assertError(post("/_matrix/client/v3/object", "{\"name\": \"a\", \"name\": \"b\"}"), 400, "M_NOT_JSON");
        assertError(post("/_matrix/client/v3/object", "[1, 2]"), 400, "M_BAD_JSON");
        assertError(post("/_matrix/client/v3/object", "{\"name\": 5}"), 400, "M_BAD_JSON");
        assertError(post("/_matrix/client/v3/object", "{}"), 400, "M_MISSING_PARAM");
        HttpResponse<String> ok = post("/_matrix/client/v3/object", "{\"name\": \"n\"}");
        assertEquals(200, ok.statusCode(), ok.body());
    }

    @Test
    void aBodyOverTheLimitIsTooLarge() throws Exception {
        start(s -> s.withMaxBodyBytes(1024));
        assertError(post("/_matrix/client/v3/object", "{\"name\": \"" + "x".repeat(2000) + "\"}"), 413, "M_TOO_LARGE");
        assertEquals(200, post("/_matrix/client/v3/object", "{\"name\": \"small\"}").statusCode());
    }

    @Test
    void tokensComeFromTheBearerHeaderOrTheQueryParameter() throws Exception {
        start(s -> s);
        assertError(get("/_matrix/client/v3/me"), 401, "M_MISSING_TOKEN");
        JsonNode unknown = assertError(send(HttpRequest.newBuilder(base.resolve("/_matrix/client/v3/me"))
                .header("Authorization", "Bearer wrong")), 401, "M_UNKNOWN_TOKEN");
        assertFalse(unknown.get("soft_logout").asBoolean(true));
        HttpResponse<String> byHeader = send(HttpRequest.newBuilder(base.resolve("/_matrix/client/v3/me"))
                .header("Authorization", "Bearer " + GOOD_TOKEN));
        assertEquals("@alice:localhost", JSON.readTree(byHeader.body()).get("user_id").asText(), byHeader.body());
        HttpResponse<String> byQuery = get("/_matrix/client/v3/me?access_token=" + GOOD_TOKEN);
        assertEquals("@alice:localhost", JSON.readTree(byQuery.body()).get("user_id").asText(), byQuery.body());
    }

    @Test
    void aHandlerBugIsALoggedInternalErrorAndTheServerKeepsServing() throws Exception {
        start(s -> s);
        assertError(get("/_matrix/client/v3/bug"), 500, "M_UNKNOWN");
        assertEquals(200, get("/_matrix/client/v3/echo/a/b").statusCode());
    }

    @Test
    void tooManyRequestsFromOneAddressAreLimitedWithRetryAfter() throws Exception {
        start(s -> s.withRateLimits(new RateLimit(0.001, 3), RateLimit.unlimited()));
        for (int i = 0; i < 3; i++) {
            assertEquals(200, get("/_matrix/client/v3/echo/a/b").statusCode());
        }
        HttpResponse<String> limited = get("/_matrix/client/v3/echo/a/b");
        JsonNode body = assertError(limited, 429, "M_LIMIT_EXCEEDED");
        assertTrue(body.get("retry_after_ms").asLong() > 0, limited.body());
        assertTrue(Long.parseLong(limited.headers().firstValue("Retry-After").orElseThrow()) > 0);
    }

    @Test
    void tooManyRequestsFromOneUserAreLimited() throws Exception {
        start(s -> s.withRateLimits(RateLimit.unlimited(), new RateLimit(0.001, 2)));
        HttpRequest.Builder me = HttpRequest.newBuilder(base.resolve("/_matrix/client/v3/me"))
                .header("Authorization", "Bearer " + GOOD_TOKEN);
        assertEquals(200, send(me).statusCode());
        assertEquals(200, send(me).statusCode());
        assertError(send(me), 429, "M_LIMIT_EXCEEDED");
        assertEquals(200, get("/_matrix/client/v3/echo/a/b").statusCode(), "other requests are not limited");
    }

    @Test
    void everyResponseCarriesTheCorsHeadersAndOptionsRunsNoHandler() {
        start(s -> s);
        HttpResponse<String> options = send(HttpRequest.newBuilder(base.resolve("/_matrix/client/v3/bug"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()));
        assertEquals(200, options.statusCode(), "the buggy handler must not run for OPTIONS");
        for (HttpResponse<String> response : new HttpResponse[] {options, get("/_matrix/client/v3/echo/a/b"),
                get("/_matrix/client/v3/nothing")}) {
            assertEquals("*", response.headers().firstValue("Access-Control-Allow-Origin").orElse(null));
            assertTrue(response.headers().firstValue("Access-Control-Allow-Methods").orElse("").contains("DELETE"));
            assertTrue(response.headers().firstValue("Access-Control-Allow-Headers").orElse("").contains("Authorization"));
        }
    }

    @Test
    void anAsyncHandlerAnswersWhenItsFutureCompletesWithoutHoldingAWorker() throws Exception {
        start(s -> new HttpSettings(s.host(), s.port(), s.maxBodyBytes(), 1, 4, s.perIp(), s.perUser()));
        CompletableFuture<HttpResponse<String>> waiting = client.sendAsync(
                HttpRequest.newBuilder(base.resolve("/_matrix/client/v3/later")).build(),
                HttpResponse.BodyHandlers.ofString());
        // The only worker is free again: another request is answered while the first one waits.
        assertEquals(200, get("/_matrix/client/v3/echo/a/b").statusCode());
        assertFalse(waiting.isDone());
        later.complete(MatrixResponse.ok(JsonNodeFactory.instance.objectNode().put("done", true)));
        assertEquals("{\"done\":true}", waiting.get().body());
    }

    @Test
    void whenEveryWorkerIsBusyAndTheQueueIsFullTheClientIsToldToRetry() throws Exception {
        start(s -> new HttpSettings(s.host(), s.port(), s.maxBodyBytes(), 1, 1, s.perIp(), s.perUser()));
        CompletableFuture<HttpResponse<String>> running = client.sendAsync(
                HttpRequest.newBuilder(base.resolve("/_matrix/client/v3/block")).build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(blocking.await(30, TimeUnit.SECONDS));
        // One worker busy, room for one in the queue: of five more requests, one waits and four are refused.
        List<CompletableFuture<HttpResponse<String>>> more = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            more.add(client.sendAsync(HttpRequest.newBuilder(base.resolve("/_matrix/client/v3/echo/" + i + "/x")).build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        for (int i = 0; i < 3000 && more.stream().filter(CompletableFuture::isDone).count() < 4; i++) {
            Thread.sleep(10);
        }
        List<HttpResponse<String>> refused = new ArrayList<>();
        for (CompletableFuture<HttpResponse<String>> response : more) {
            if (response.isDone()) {
                refused.add(response.get());
            }
        }
        assertEquals(4, refused.size(), "one request waits in the queue");
        for (HttpResponse<String> response : refused) {
            assertError(response, 429, "M_LIMIT_EXCEEDED");
        }
        release.countDown();
        assertEquals(200, running.get(30, TimeUnit.SECONDS).statusCode());
        assertEquals(1, more.stream().map(CompletableFuture::join).filter(r -> r.statusCode() == 200).count(),
                "the queued request is answered once the worker is free");
    }

    /** Sends raw bytes on a new connection and reads until the server closes it. */
    private String rawExchange(String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", base.getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrder() throws Exception {
        start(s -> s);
        String all = rawExchange("GET /_matrix/client/v3/echo/one/x HTTP/1.1\r\nHost: localhost\r\n\r\n"
                + "GET /_matrix/client/v3/echo/two/x HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        int first = all.indexOf("\"first\":\"one\"");
        int second = all.indexOf("\"first\":\"two\"");
        assertTrue(first >= 0 && second > first, all);
    }

    @Test
    void aMalformedRequestLineGetsAnErrorNotADroppedConnection() throws Exception {
        start(s -> s);
        String answer = rawExchange("NOT-HTTP\r\n\r\n");
        assertTrue(answer.startsWith("HTTP/1.1 4"), answer);
        assertEquals(200, get("/_matrix/client/v3/echo/a/b").statusCode());
    }
}
