package dev.hyphae.node.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyphae.node.http.RateLimit;
import dev.hyphae.node.http.Route;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Random and mutated JSON to every registered endpoint, with and without a valid token: never a
 * 500, never a dropped connection, every answer within the spec's schemas, and the server still
 * serves afterwards.
 */
class ClientApiFuzzTest {
    private static final long SEED = 0x5eed_c11e47L;
    private static final int BODIES_PER_ROUTE = 40;
    private static final String[] FIELDS = {"type", "auth", "session", "username", "password", "identifier", "user",
        "device_id", "initial_device_display_name", "inhibit_login", "refresh_token", "new_password",
        "logout_devices", "devices", "display_name", "token", "erase", "id_server", "medium", "address"};
    private static final String[] STRINGS = {"", "alice", "@alice:localhost", "m.login.password", "m.login.dummy",
        "m.login.registration_token", "m.id.user", "pw", "\u0000", "\ud83d\ude00", "x".repeat(300), "../../etc",
        "%2F", "DEVICE", "{", "@:", "@alice:elsewhere.org"};

    @TempDir
    Path dataDir;

    @Test
    void randomAndMutatedBodiesNeverCauseAServerError() {
        Random random = new Random(SEED);
        try (TestNode node = new TestNode(dataDir, true,
                s -> s.withRateLimits(RateLimit.unlimited(), RateLimit.unlimited()))) {
            List<Route> routes = node.routes.routes();
            assertTrue(routes.size() >= 18, "every endpoint group registered: " + routes);
            int user = 0;
            int sent = 0;
            for (Route route : routes) {
                for (int i = 0; i < BODIES_PER_ROUTE; i++) {
                    String token = null;
                    if (random.nextBoolean()) {
                        String name = "fuzz" + user++;
                        token = node.userWithToken(name, "pw");
                    }
                    String path = fillParameters(route.template(), random);
                    if (random.nextInt(4) == 0) {
                        path = path.replace("/_matrix/client/v3/", "/_matrix/client/r0/");
                    }
                    String body = body(random);
                    TestNode.Reply reply = node.send(route.method().name(), path, body, token);
                    assertNotEquals(500, reply.status(), route + " " + body + " -> " + reply.body());
                    sent++;
                }
            }
            assertTrue(sent >= routes.size() * BODIES_PER_ROUTE);
            assertEquals(200, node.get("/_matrix/client/versions", null).status(), "the server still serves");
            assertEquals(200, node.get("/_matrix/client/v3/account/whoami", node.userWithToken("after", "pw")).status());
        }
    }

    private static String fillParameters(String template, Random random) {
        StringBuilder path = new StringBuilder();
        for (String segment : template.substring(1).split("/", -1)) {
            path.append('/');
            if (segment.startsWith("{")) {
                String[] values = {"DEVICE", "%40alice%3Alocalhost", "%F0%9F%98%80", "a%2Fb", "x".repeat(50), "%00"};
                path.append(values[random.nextInt(values.length)]);
            } else {
                path.append(segment);
            }
        }
        return path.toString();
    }

    /** A random JSON value, a mutated one, random bytes as text, or nothing. */
    private static String body(Random random) {
        return switch (random.nextInt(6)) {
            case 0 -> null;
            case 1 -> randomValue(random, 0);
            case 2, 3 -> randomObject(random, 0);
            case 4 -> mutate(randomObject(random, 0), random);
            default -> randomText(random);
        };
    }

    private static String randomObject(Random random, int depth) {
        List<String> members = new ArrayList<>();
        int size = random.nextInt(6);
        for (int i = 0; i < size; i++) {
            members.add(TestNode.json(FIELDS[random.nextInt(FIELDS.length)]) + ":" + randomValue(random, depth + 1));
        }
        return "{" + String.join(",", members) + "}";
    }

    private static String randomValue(Random random, int depth) {
        int kind = random.nextInt(depth > 3 ? 6 : 8);
        return switch (kind) {
            case 0 -> "null";
            case 1 -> Boolean.toString(random.nextBoolean());
            case 2 -> Long.toString(random.nextLong());
            case 3 -> Double.toString(random.nextDouble() * 1e300);
            case 4, 5 -> TestNode.json(STRINGS[random.nextInt(STRINGS.length)]);
            case 6 -> randomObject(random, depth);
            default -> {
                List<String> items = new ArrayList<>();
                for (int i = random.nextInt(4); i > 0; i--) {
                    items.add(randomValue(random, depth + 1));
                }
                yield "[" + String.join(",", items) + "]";
            }
        };
    }

    private static String mutate(String json, Random random) {
        StringBuilder text = new StringBuilder(json);
        for (int i = random.nextInt(4) + 1; i > 0 && text.length() > 0; i--) {
            int at = random.nextInt(text.length());
            switch (random.nextInt(3)) {
                case 0 -> text.deleteCharAt(at);
                case 1 -> text.insert(at, "{}[],:\"\\x0".charAt(random.nextInt(10)));
                default -> text.setLength(at);
            }
        }
        return text.toString();
    }

    private static String randomText(Random random) {
        StringBuilder text = new StringBuilder();
        for (int i = random.nextInt(64); i > 0; i--) {
            text.append((char) random.nextInt(0x3000));
        }
        return text.toString();
    }
}
