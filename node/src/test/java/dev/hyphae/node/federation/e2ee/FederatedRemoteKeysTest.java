package dev.hyphae.node.federation.e2ee;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyphae.node.e2ee.E2eeListener;
import dev.hyphae.node.e2ee.EndToEndEncryption;
import dev.hyphae.node.federation.EduReceiver;
import dev.hyphae.node.federation.FederationClient;
import dev.hyphae.node.federation.FederationException;
import dev.hyphae.node.federation.FederationRequest;
import dev.hyphae.node.identifier.ServerName;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Keys of remote users over federation, and the cache of their device lists kept by EDUs. */
class FederatedRemoteKeysTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String REMOTE = "remote.example";
    private static final String BOB = "@bob:" + REMOTE;

    @TempDir
    Path directory;

    private FederatedE2eeFixture node;
    private final List<FederationRequest> requests = new CopyOnWriteArrayList<>();
    private volatile Function<FederationRequest, CompletableFuture<JsonNode>> answers;
    private RemoteDeviceLists lists;
    private FederatedRemoteKeys remoteKeys;
    private Map<String, EduReceiver> receivers;

    @BeforeEach
    void open() {
        node = new FederatedE2eeFixture(directory, (byte) 4);
        FederationClient client = request -> {
            requests.add(request);
            return answers.apply(request);
        };
        answers = request -> CompletableFuture.completedFuture(answerTo(request));
        lists = new RemoteDeviceLists(client, node.store, node.server, Duration.ofSeconds(10));
        remoteKeys = new FederatedRemoteKeys(client, lists, Duration.ofSeconds(10));
        receivers = E2eeEduReceivers.of(node.e2ee, node.server, user -> { }, lists);
    }

    @AfterEach
    void close() {
        node.close();
    }

    private static ObjectNode json(String text) {
        try {
            return (ObjectNode) JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static String keys(String userId, String deviceId) {
        return "{\"algorithms\":[],\"device_id\":\"" + deviceId + "\",\"keys\":{\"ed25519:" + deviceId + "\":\"k"
                + deviceId + "\"},\"user_id\":\"" + userId + "\"}";
    }

    /** What bob's server answers: device BOBPHONE, a master key, and the user/devices list with stream_id 5. */
    private static JsonNode answerTo(FederationRequest request) {
        if (request.uri().equals(FederatedRemoteKeys.QUERY)) {
            return json("{\"device_keys\":{\"" + BOB + "\":{\"BOBPHONE\":" + keys(BOB, "BOBPHONE") + ","
                    + "\"FORGED\":" + keys("@mallory:" + REMOTE, "FORGED") + "}},"
                    + "\"master_keys\":{\"" + BOB + "\":{\"user_id\":\"" + BOB + "\",\"usage\":[\"master\"],"
                    + "\"keys\":{\"ed25519:M1\":\"M1\"}}},\"self_signing_keys\":{}}");
        }
        if (request.uri().startsWith("/_matrix/federation/v1/user/devices/")) {
            return json("{\"user_id\":\"" + BOB + "\",\"stream_id\":5,\"devices\":[{\"device_id\":\"BOBPHONE\","
                    + "\"keys\":" + keys(BOB, "BOBPHONE") + ",\"device_display_name\":\"Bob's phone\"}]}");
        }
        if (request.uri().equals(FederatedRemoteKeys.CLAIM)) {
            return json("{\"one_time_keys\":{\"" + BOB + "\":{\"BOBPHONE\":{\"signed_curve25519:A\":{\"key\":\"otk\"}}},"
                    + "\"@eve:elsewhere.example\":{\"X\":{\"signed_curve25519:B\":{\"key\":\"no\"}}}}}");
        }
        throw new AssertionError("unexpected request " + request.uri());
    }

    private ObjectNode query() {
        return remoteKeys.queryKeys(REMOTE, json("{\"device_keys\":{\"" + BOB + "\":[]}}")).join();
    }

    private long requestsTo(String uriPrefix) {
        return requests.stream().filter(request -> request.uri().startsWith(uriPrefix)).count();
    }

    @Test
    void aQueryAsksTheUsersServerOnceAndLaterQueriesAreAnsweredFromTheCache() {
        node.roomSharedWith(BOB);
        ObjectNode first = query();
        assertEquals("kBOBPHONE", first.path("device_keys").path(BOB).path("BOBPHONE").path("keys")
                .path("ed25519:BOBPHONE").asText());
        assertEquals("M1", first.path("master_keys").path(BOB).path("keys").path("ed25519:M1").asText());
        ObjectNode second = query();
        assertEquals(first, second);
        assertEquals(1, requests.size());
        assertEquals(REMOTE, requests.get(0).destination());
    }

    @Test
    void keysThatNameAnotherUserThanTheOneTheyAreListedForAreLeftOut() {
        ObjectNode answer = query();
        assertFalse(answer.path("device_keys").path(BOB).has("FORGED"));
    }

    @Test
    void theListOfAUserWhoSharesNoRoomIsNotCachedSinceNoUpdatesWouldCome() {
        query();
        query();
        assertEquals(2, requests.size());
    }

    @Test
    void anUpdateWithAnUnknownPrevIdDropsTheListAndResyncsItThroughUserDevices() {
        node.roomSharedWith(BOB);
        query();
        receivers.get("m.device_list_update").receive(REMOTE, json("{\"user_id\":\"" + BOB + "\",\"device_id\":"
                + "\"BOBLAPTOP\",\"stream_id\":9,\"prev_id\":[8],\"deleted\":false,\"keys\":" + keys(BOB, "BOBLAPTOP") + "}"));
        assertEquals(1, requestsTo("/_matrix/federation/v1/user/devices/%40bob%3Aremote.example"));
        RemoteDeviceList cached = lists.cached(BOB).orElseThrow();
        assertEquals(List.of(5L), cached.streamIds());
        assertEquals("Bob's phone", cached.devices().path("BOBPHONE").path("unsigned").path("device_display_name")
                .asText());
    }

    @Test
    void anUpdateThatFollowsTheCachedListIsAppliedWithoutAskingTheServer() {
        node.roomSharedWith(BOB);
        lists.resync(BOB).join();
        receivers.get("m.device_list_update").receive(REMOTE, json("{\"user_id\":\"" + BOB + "\",\"device_id\":"
                + "\"BOBLAPTOP\",\"stream_id\":6,\"prev_id\":[5],\"deleted\":false,\"keys\":" + keys(BOB, "BOBLAPTOP") + "}"));
        receivers.get("m.device_list_update").receive(REMOTE, json("{\"user_id\":\"" + BOB + "\",\"device_id\":"
                + "\"BOBPHONE\",\"stream_id\":7,\"prev_id\":[6],\"deleted\":true}"));
        ObjectNode answer = query();
        assertEquals(List.of("BOBLAPTOP"), fieldNames(answer.path("device_keys").path(BOB)));
        assertEquals(1, requests.size(), "only the first resync asked the server");
    }

    @Test
    void anUpdateFromAServerAboutAnotherServersUserChangesNothing() {
        node.roomSharedWith(BOB);
        lists.resync(BOB).join();
        receivers.get("m.device_list_update").receive("evil.example", json("{\"user_id\":\"" + BOB + "\","
                + "\"device_id\":\"BOBPHONE\",\"stream_id\":6,\"prev_id\":[5],\"deleted\":true}"));
        assertTrue(lists.cached(BOB).orElseThrow().devices().has("BOBPHONE"));
    }

    @Test
    void aSigningKeyUpdateReplacesTheCachedMasterKey() {
        node.roomSharedWith(BOB);
        query();
        receivers.get("m.signing_key_update").receive(REMOTE, json("{\"user_id\":\"" + BOB + "\",\"master_key\":"
                + "{\"user_id\":\"" + BOB + "\",\"usage\":[\"master\"],\"keys\":{\"ed25519:M2\":\"M2\"}}}"));
        assertEquals("M2", query().path("master_keys").path(BOB).path("keys").path("ed25519:M2").asText());
        assertEquals(1, requests.size());
    }

    @Test
    void aClaimPassesOnOnlyTheKeysOfUsersItAskedFor() {
        ObjectNode answer = remoteKeys.claimKeys(REMOTE,
                json("{\"one_time_keys\":{\"" + BOB + "\":{\"BOBPHONE\":\"signed_curve25519\"}}}")).join();
        assertEquals("otk", answer.path("one_time_keys").path(BOB).path("BOBPHONE").path("signed_curve25519:A")
                .path("key").asText());
        assertFalse(answer.path("one_time_keys").has("@eve:elsewhere.example"));
        assertEquals(FederatedRemoteKeys.CLAIM, requests.get(0).uri());
    }

    @Test
    void anUnreachableServerIsListedInTheFailuresOfAClientsKeyQuery() {
        answers = request -> CompletableFuture.failedFuture(FederationException.unreachable(REMOTE, "no route", null));
        EndToEndEncryption e2ee = new EndToEndEncryption(node.store, ServerName.parse(node.server), remoteKeys,
                E2eeListener.NONE, Clock.systemUTC());
        ObjectNode answer = e2ee.keyQueries().query(node.alice, json("{\"device_keys\":{\"" + BOB + "\":[]}}")).join();
        assertTrue(answer.path("failures").has(REMOTE), answer.toString());
        assertFalse(answer.path("device_keys").has(BOB));
    }

    @Test
    void aServerThatNeverAnswersIsListedInTheFailuresOnceTheClientsTimeoutHasPassed() {
        answers = request -> new CompletableFuture<>();
        EndToEndEncryption e2ee = new EndToEndEncryption(node.store, ServerName.parse(node.server), remoteKeys,
                E2eeListener.NONE, Clock.systemUTC());
        ObjectNode query = e2ee.keyQueries().query(node.alice,
                json("{\"timeout\":50,\"device_keys\":{\"" + BOB + "\":[]}}")).join();
        assertTrue(query.path("failures").has(REMOTE), query.toString());
        ObjectNode claim = e2ee.keyClaims().claim(
                json("{\"timeout\":50,\"one_time_keys\":{\"" + BOB + "\":{\"BOBPHONE\":\"signed_curve25519\"}}}")).join();
        assertTrue(claim.path("failures").has(REMOTE), claim.toString());
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
