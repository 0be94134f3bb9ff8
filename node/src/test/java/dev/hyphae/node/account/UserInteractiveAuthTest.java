package dev.hyphae.node.account;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyphae.node.http.JsonBody;
import dev.hyphae.node.http.MatrixException;
import dev.hyphae.node.identifier.ServerName;
import dev.hyphae.store.sqlite.SqliteStore;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UserInteractiveAuthTest {
    private static final List<AuthFlow> DUMMY_OR_TOKEN = List.of(AuthFlow.of(AuthFlow.DUMMY),
            AuthFlow.of(AuthFlow.REGISTRATION_TOKEN));

    @TempDir
    Path dataDir;

    private SqliteStore store;
    private UserInteractiveAuth uia;
    private final RegistrationTokens tokens = new RegistrationTokens();
    private Instant now = Instant.parse("2026-01-01T00:00:00Z");
    private final Clock clock = new Clock() {
        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    };

    @BeforeEach
    void setUp() {
        store = SqliteStore.openInDirectory(dataDir);
        SecureRandom random = new SecureRandom();
        AccountSettings settings = new AccountSettings(Duration.ofMinutes(5), Duration.ofMinutes(10));
        AccountService accounts = new AccountService(store, ServerName.parse("localhost"),
                new PasswordHasher(new Argon2Settings(64, 1, 1), random), settings, random, clock);
        uia = new UserInteractiveAuth(accounts, tokens, settings, random, clock);
    }

    @AfterEach
    void tearDown() {
        store.close();
    }

    private static Optional<JsonBody> auth(String type, String session) {
        ObjectNode dict = JsonNodeFactory.instance.objectNode();
        if (type != null) {
            dict.put("type", type);
        }
        if (session != null) {
            dict.put("session", session);
        }
        return Optional.of(new JsonBody(dict));
    }

    @Test
    void noAuthGivesTheFlowsAndANewSessionWithoutAnError() {
        AuthRequiredException required = assertThrows(AuthRequiredException.class,
                () -> uia.authenticate("op", Optional.empty(), DUMMY_OR_TOKEN, null));
        assertEquals(401, required.status());
        ObjectNode body = required.body();
        assertFalse(body.has("errcode"));
        assertEquals(2, body.get("flows").size());
        assertTrue(body.get("session").asText().length() >= 16);
        assertEquals(0, body.get("completed").size());
    }

    @Test
    void aFinishedSessionCannotBeUsedAgain() {
        String session = assertThrows(AuthRequiredException.class,
                () -> uia.authenticate("op", Optional.empty(), DUMMY_OR_TOKEN, null)).body().get("session").asText();
        uia.authenticate("op", auth(AuthFlow.DUMMY, session), DUMMY_OR_TOKEN, null);
        MatrixException reused = assertThrows(MatrixException.class,
                () -> uia.authenticate("op", auth(AuthFlow.DUMMY, session), DUMMY_OR_TOKEN, null));
        assertEquals(400, reused.status());
    }

    @Test
    void aSessionExpires() {
        String session = assertThrows(AuthRequiredException.class,
                () -> uia.authenticate("op", Optional.empty(), DUMMY_OR_TOKEN, null)).body().get("session").asText();
        now = now.plus(Duration.ofMinutes(11));
        MatrixException expired = assertThrows(MatrixException.class,
                () -> uia.authenticate("op", auth(AuthFlow.DUMMY, session), DUMMY_OR_TOKEN, null));
        assertEquals(400, expired.status());
    }

    @Test
    void aStageThatIsNotOfferedFailsWithTheFlowsAndAnError() {
        AuthRequiredException failed = assertThrows(AuthRequiredException.class,
                () -> uia.authenticate("op", auth(AuthFlow.PASSWORD, null), DUMMY_OR_TOKEN, null));
        assertEquals("M_FORBIDDEN", failed.body().get("errcode").asText());
        assertTrue(failed.body().has("flows"));
    }

    @Test
    void aSessionOnlyPollingReportsTheCompletedStages() {
        List<AuthFlow> twoStages = List.of(AuthFlow.of(AuthFlow.DUMMY, AuthFlow.REGISTRATION_TOKEN));
        tokens.add("tok", 1);
        String session = assertThrows(AuthRequiredException.class,
                () -> uia.authenticate("op", auth(AuthFlow.DUMMY, null), twoStages, null)).body().get("session").asText();
        AuthRequiredException polled = assertThrows(AuthRequiredException.class,
                () -> uia.authenticate("op", auth(null, session), twoStages, null));
        assertEquals("[\"m.login.dummy\"]", polled.body().get("completed").toString());
        ObjectNode tokenStage = JsonNodeFactory.instance.objectNode()
                .put("type", AuthFlow.REGISTRATION_TOKEN).put("token", "tok").put("session", session);
        AuthResult result = uia.authenticate("op", Optional.of(new JsonBody(tokenStage)), twoStages, null);
        assertEquals(Optional.of("tok"), result.registrationToken());
    }
}
