package dev.hyphae.node.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hyphae.node.account.AccountService;
import dev.hyphae.node.account.AccountSettings;
import dev.hyphae.node.account.Argon2Settings;
import dev.hyphae.node.account.PasswordHasher;
import dev.hyphae.node.account.RegistrationTokens;
import dev.hyphae.node.account.UserInteractiveAuth;
import dev.hyphae.node.http.HttpSettings;
import dev.hyphae.node.http.MatrixHttpServer;
import dev.hyphae.node.http.RouteTable;
import dev.hyphae.node.identifier.ServerName;
import dev.hyphae.store.sqlite.SqliteStore;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.function.UnaryOperator;

/**
 * A whole client-server API on 127.0.0.1 with a free port and a database in a temporary directory,
 * and a client whose every response is checked against the spec's schema.
 */
final class TestNode implements AutoCloseable {
    static final ServerName SERVER = ServerName.parse("localhost");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SpecResponseSchemas SCHEMAS = SpecResponseSchemas.load();

    final SqliteStore store;
    final AccountService accounts;
    final RegistrationTokens registrationTokens = new RegistrationTokens();
    final RouteTable routes = new RouteTable();
    final MatrixHttpServer server;
    final URI base;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    TestNode(Path dataDir, boolean openRegistration) {
        this(dataDir, openRegistration, settings -> settings);
    }

    TestNode(Path dataDir, boolean openRegistration, UnaryOperator<HttpSettings> httpSettings) {
        this(dataDir, openRegistration, httpSettings, AccountSettings.defaults(), Clock.systemUTC());
    }

    TestNode(Path dataDir, boolean openRegistration, UnaryOperator<HttpSettings> httpSettings,
            AccountSettings accountSettings, Clock clock) {
        store = SqliteStore.openInDirectory(dataDir);
        SecureRandom random = new SecureRandom();
        // A cheap hash cost keeps the tests fast; the format and code path are the real ones.
        PasswordHasher hasher = new PasswordHasher(new Argon2Settings(64, 1, 1), random);
        accounts = new AccountService(store, SERVER, hasher, accountSettings, random, clock);
        UserInteractiveAuth uia = new UserInteractiveAuth(accounts, registrationTokens, accountSettings, random, clock);
        ClientSettings clientSettings = new ClientSettings(java.util.Optional.of("http://127.0.0.1"), openRegistration);
        ClientApi.register(routes, ClientApi.groups(accounts, uia, registrationTokens, clientSettings));
        HttpSettings settings = httpSettings.apply(HttpSettings.defaults().withAddress("127.0.0.1", 0));
        server = new MatrixHttpServer(settings, routes, accounts);
        InetSocketAddress address = server.start();
        base = URI.create("http://127.0.0.1:" + address.getPort());
    }

    /** A response with its JSON body (checked against the spec unless it was an OPTIONS request). */
    record Reply(int status, JsonNode body, HttpResponse<String> raw) {
        String errcode() {
            return body.path("errcode").asText(null);
        }
    }

    Reply get(String path, String token) {
        return send("GET", path, null, token);
    }

    Reply post(String path, String body, String token) {
        return send("POST", path, body, token);
    }

    Reply send(String method, String path, String body, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        HttpResponse<String> response = sendRaw(request.build());
        if (!method.equals("OPTIONS")) {
            SCHEMAS.assertValid(method, path, response.statusCode(), response.body());
        }
        try {
            return new Reply(response.statusCode(), JSON.readTree(response.body()), response);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + response.body(), e);
        }
    }

    HttpResponse<String> sendRaw(HttpRequest request) {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError("request failed: " + request, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Creates an account and logs a device in; returns the access token. */
    String userWithToken(String localpart, String password) {
        accounts.createAccount(localpart, password, false);
        return loginToken(localpart, password);
    }

    /** Logs another device of an existing account in; returns its access token. */
    String loginToken(String localpart, String password) {
        Reply login = post("/_matrix/client/v3/login", """
                {"type": "m.login.password", "identifier": {"type": "m.id.user", "user": "%s"}, "password": "%s"}
                """.formatted(localpart, password), null);
        assertEquals(200, login.status(), login.body().toString());
        return login.body().get("access_token").asText();
    }

    static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Override
    public void close() {
        server.close();
        store.close();
    }
}
