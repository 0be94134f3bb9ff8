package dev.hyphae.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One test network user on one node, speaking the client-server API over HTTP on loopback as a
 * Matrix client would. The node's URL is read on every request, so a node that restarts on the
 * same port is reached again; the access token outlives the restart in the node's store.
 */
final class TestnetClient {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicLong TXN = new AtomicLong();

    private final HttpClient http;
    private final URI base;
    private final String accessToken;
    private final String userId;

    private TestnetClient(HttpClient http, URI base, String accessToken, String userId) {
        this.http = http;
        this.base = base;
        this.accessToken = accessToken;
        this.userId = userId;
    }

    /** Registers {@code username} with the dummy auth of open registration. */
    static TestnetClient register(HttpClient http, URI base, String username, String password) {
        ObjectNode body = JSON.createObjectNode().put("username", username).put("password", password);
        body.putObject("auth").put("type", "m.login.dummy");
        JsonNode answer = new TestnetClient(http, base, null, null).call("POST", "/_matrix/client/v3/register", body);
        return new TestnetClient(http, base, answer.path("access_token").asText(), answer.path("user_id").asText());
    }

    String userId() {
        return userId;
    }

    /** A public room, in which every member may set the topic (partitions change it on both sides). */
    String createRoom(String name) {
        ObjectNode body = JSON.createObjectNode().put("preset", "public_chat").put("name", name);
        body.putObject("power_level_content_override").putObject("events").put("m.room.topic", 0);
        return call("POST", "/_matrix/client/v3/createRoom", body).path("room_id").asText();
    }

    /** Joins through {@code via}, the server that can help. */
    void join(String roomId, String via) {
        call("POST", "/_matrix/client/v3/join/" + enc(roomId) + "?server_name=" + enc(via), JSON.createObjectNode());
    }

    String sendText(String roomId, String text) {
        ObjectNode content = JSON.createObjectNode().put("msgtype", "m.text").put("body", text);
        return call("PUT", "/_matrix/client/v3/rooms/" + enc(roomId) + "/send/m.room.message/tn" + TXN.incrementAndGet(),
                content).path("event_id").asText();
    }

    void setTopic(String roomId, String topic) {
        call("PUT", "/_matrix/client/v3/rooms/" + enc(roomId) + "/state/m.room.topic",
                JSON.createObjectNode().put("topic", topic));
    }

    /** The event IDs of the room's current state, sorted: equal on two nodes when they agree on the state. */
    String stateFingerprint(String roomId) {
        TreeSet<String> ids = new TreeSet<>();
        for (JsonNode event : call("GET", "/_matrix/client/v3/rooms/" + enc(roomId) + "/state", null)) {
            ids.add(event.path("event_id").asText());
        }
        return String.join(",", ids);
    }

    /** The bodies of the room's text messages in the node's timeline, read backwards from the end. */
    List<String> texts(String roomId) {
        List<String> texts = new ArrayList<>();
        String from = null;
        while (true) {
            String query = "?dir=b&limit=500" + (from == null ? "" : "&from=" + enc(from));
            JsonNode page = call("GET", "/_matrix/client/v3/rooms/" + enc(roomId) + "/messages" + query, null);
            for (JsonNode event : page.path("chunk")) {
                if (event.path("type").asText().equals("m.room.message")) {
                    texts.add(event.path("content").path("body").asText());
                }
            }
            if (!page.hasNonNull("end") || page.path("chunk").isEmpty()) {
                return texts;
            }
            from = page.get("end").asText();
        }
    }

    /** One /sync long poll, without waiting for it; {@code since} may be null. */
    CompletableFuture<JsonNode> syncAsync(String since, Duration timeout, String filter) {
        String query = "?timeout=" + timeout.toMillis() + "&filter=" + enc(filter)
                + (since == null ? "" : "&since=" + enc(since));
        HttpRequest request = request("GET", "/_matrix/client/v3/sync" + query, null, timeout.plusSeconds(30));
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).thenApply(response -> {
            if (response.statusCode() / 100 != 2) {
                throw new IllegalStateException("/sync answered " + response.statusCode());
            }
            return readTree(response.body());
        });
    }

    /** Sends a request and returns the JSON answer; 429 waits as asked; other non-2xx answers throw. */
    JsonNode call(String method, String path, JsonNode body) {
        HttpRequest request = request(method, path, body, Duration.ofSeconds(120));
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            for (int attempt = 0; response.statusCode() == 429 && attempt < 100; attempt++) {
                Thread.sleep(Math.max(1, readTree(response.body()).path("retry_after_ms").asLong(100)));
                response = http.send(request, HttpResponse.BodyHandlers.ofString());
            }
            if (response.statusCode() / 100 != 2) {
                throw new IllegalStateException(method + " " + path.replaceAll("\\?.*", "") + " answered "
                        + response.statusCode() + ": " + response.body());
            }
            return readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + path.replaceAll("\\?.*", "") + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private HttpRequest request(String method, String path, JsonNode body, Duration timeout) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(timeout)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body.toString()));
        if (accessToken != null) {
            request.header("Authorization", "Bearer " + accessToken);
        }
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        return request.build();
    }

    private static JsonNode readTree(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + e.getMessage(), e);
        }
    }

    static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
