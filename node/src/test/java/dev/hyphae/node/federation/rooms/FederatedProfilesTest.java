package dev.hyphae.node.federation.rooms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hyphae.node.federation.FederationClient;
import dev.hyphae.node.federation.FederationException;
import dev.hyphae.node.federation.FederationRequest;
import dev.hyphae.node.identifier.ServerName;
import dev.hyphae.node.identifier.UserId;
import dev.hyphae.node.profile.ProfileException;
import dev.hyphae.node.profile.ProfilePropagation;
import dev.hyphae.node.profile.ProfileService;
import dev.hyphae.store.sqlite.SqliteStore;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Profiles of users on other servers, asked of their servers by the profile service. */
class FederatedProfilesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final UserId BOB = UserId.parse("@bob:remote.example");

    @TempDir
    Path directory;

    private SqliteStore store;
    private ProfileService profiles;
    private final List<FederationRequest> requests = new CopyOnWriteArrayList<>();
    private volatile boolean known = true;

    @BeforeEach
    void open() {
        store = SqliteStore.openInDirectory(directory);
        FederationClient client = request -> {
            requests.add(request);
            if (!known) {
                return CompletableFuture.failedFuture(
                        FederationException.answered(request.destination(), 404, "M_NOT_FOUND", "no such user"));
            }
            try {
                JsonNode answer = JSON.readTree("{\"displayname\":\"Bob\",\"avatar_url\":\"mxc://remote.example/a\"}");
                return CompletableFuture.completedFuture(answer);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };
        profiles = new ProfileService(store, ProfilePropagation.NONE, ServerName.parse("local.example"),
                new FederatedProfiles(client));
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void aRemoteUsersProfileIsAskedOfTheUsersServer() {
        assertEquals("Bob", profiles.profile(BOB).get("displayname").asText());
        assertEquals("remote.example", requests.get(0).destination());
        assertEquals("/_matrix/federation/v1/query/profile?user_id=%40bob%3Aremote.example", requests.get(0).uri());
    }

    @Test
    void oneFieldOfARemoteUsersProfileIsAskedForByName() {
        assertEquals("{\"displayname\":\"Bob\"}", profiles.field(BOB, "displayname").toString());
        assertEquals("/_matrix/federation/v1/query/profile?user_id=%40bob%3Aremote.example&field=displayname",
                requests.get(0).uri());
    }

    @Test
    void aRemoteUserTheirServerDoesNotKnowIsNotFound() {
        known = false;
        ProfileException missing = assertThrows(ProfileException.class, () -> profiles.profile(BOB));
        assertEquals("M_NOT_FOUND", missing.errcode());
        assertEquals(404, missing.httpStatus());
    }

    @Test
    void aFieldTheRemoteProfileLacksIsNotFound() {
        ProfileException missing = assertThrows(ProfileException.class, () -> profiles.field(BOB, "m.tz"));
        assertEquals("M_NOT_FOUND", missing.errcode());
    }
}
