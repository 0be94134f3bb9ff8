package dev.hyphae.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A small client-server API client for tests that drive whole nodes: what a Matrix client sends,
 * over real HTTP, and nothing more.
 */
final class MatrixTestClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicLong TXN = new AtomicLong();

    private final HttpClient http;
    private final URI base;
    private String accessToken;
    private String userId;

    MatrixTestClient(URI base) {
        this(base, HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build());
    }

    /** A client over {@code http}, which many clients may share (one connection pool for a load test). */
    MatrixTestClient(URI base, HttpClient http) {
        this.base = base;
        this.http = http;
    }

    /** Registers {@code username} with the one-step dummy auth of open registration. */
    MatrixTestClient register(String username, String password) throws IOException, InterruptedException {
        ObjectNode body = JSON.createObjectNode().put("username", username).put("password", password);
        body.putObject("auth").put("type", "m.login.dummy");
        JsonNode answer = call("POST", "/_matrix/client/v3/register", body);
        accessToken = answer.get("access_token").asText();
        userId = answer.get("user_id").asText();
        return this;
    }

    /** Logs in with a password, as a new device. */
    MatrixTestClient login(String user, String password) throws IOException, InterruptedException {
        ObjectNode body = JSON.createObjectNode().put("type", "m.login.password").put("password", password);
        body.putObject("identifier").put("type", "m.id.user").put("user", user);
        JsonNode answer = call("POST", "/_matrix/client/v3/login", body);
        accessToken = answer.get("access_token").asText();
        userId = answer.get("user_id").asText();
        return this;
    }

    String userId() {
        return userId;
    }

    URI base() {
        return base;
    }

    String accessToken() {
        return accessToken;
    }

    String createRoom(ObjectNode body) throws IOException, InterruptedException {
        return call("POST", "/_matrix/client/v3/createRoom", body).get("room_id").asText();
    }

    void invite(String roomId, String invitee) throws IOException, InterruptedException {
        call("POST", "/_matrix/client/v3/rooms/" + enc(roomId) + "/invite", JSON.createObjectNode().put("user_id", invitee));
    }

    /** Joins through {@code via}, the servers that can help (room IDs of v12 name no server). */
    void join(String roomId, String... via) throws IOException, InterruptedException {
        StringBuilder query = new StringBuilder();
        for (String server : via) {
            query.append(query.length() == 0 ? "?" : "&").append("server_name=").append(enc(server));
        }
        call("POST", "/_matrix/client/v3/join/" + enc(roomId) + query, JSON.createObjectNode());
    }

    String sendText(String roomId, String text) throws IOException, InterruptedException {
        ObjectNode content = JSON.createObjectNode().put("msgtype", "m.text").put("body", text);
        return call("PUT", "/_matrix/client/v3/rooms/" + enc(roomId) + "/send/m.room.message/t" + TXN.incrementAndGet(),
                content).get("event_id").asText();
    }

    /** The bodies of the room's text messages, oldest first, read backwards from the end. */
    List<String> texts(String roomId) throws IOException, InterruptedException {
        List<String> texts = new ArrayList<>();
        String from = null;
        while (true) {
            String query = "?dir=b&limit=100" + (from == null ? "" : "&from=" + enc(from));
            JsonNode page = call("GET", "/_matrix/client/v3/rooms/" + enc(roomId) + "/messages" + query, null);
            for (JsonNode event : page.get("chunk")) {
                if (event.path("type").asText().equals("m.room.message")) {
                    texts.add(0, event.path("content").path("body").asText());
                }
            }
            if (!page.hasNonNull("end") || page.get("chunk").isEmpty()) {
                return texts;
            }
            from = page.get("end").asText();
        }
    }

    /** The room's texts once there are at least {@code size} of them, or as they are after {@code limit}. */
    List<String> textsOnceAtLeast(String roomId, int size, Duration limit) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        List<String> texts = texts(roomId);
        while (texts.size() < size && System.nanoTime() < deadline) {
            Thread.sleep(200);
            texts = texts(roomId);
        }
        return texts;
    }

    /** Runs {@code action} until it returns without throwing, or throws its last failure after {@code limit}. */
    static <T> T eventually(Duration limit, java.util.concurrent.Callable<T> action) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        while (true) {
            try {
                return action.call();
            } catch (Exception e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(500);
            }
        }
    }

    /** One /sync; {@code since} may be null. */
    JsonNode sync(String since, long timeoutMs) throws IOException, InterruptedException {
        String query = "?timeout=" + timeoutMs + (since == null ? "" : "&since=" + enc(since));
        return call("GET", "/_matrix/client/v3/sync" + query, null);
    }

    /** Sends a request and returns the JSON answer; a non-2xx answer is an {@link IOException}. */
    JsonNode call(String method, String path, JsonNode body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        if (accessToken != null) {
            request.header("Authorization", "Bearer " + accessToken);
        }
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        // Like real clients, wait as long as the server asks when rate-limited, then try again.
        for (int attempt = 0; response.statusCode() == 429 && attempt < 100; attempt++) {
            Thread.sleep(Math.max(1, JSON.readTree(response.body()).path("retry_after_ms").asLong(100)));
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        }
        if (response.statusCode() / 100 != 2) {
            throw new IOException(method + " " + path + " answered " + response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body());
    }

    static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
