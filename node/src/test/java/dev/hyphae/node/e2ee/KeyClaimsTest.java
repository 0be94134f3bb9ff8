package dev.hyphae.node.e2ee;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.hyphae.node.signing.SigningKey;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KeyClaimsTest extends E2eeFixture {
    private final SigningKey phoneKey = newKey();

    private void uploadKeys(int oneTimeKeys, boolean withFallback) {
        ObjectNode body = JSON.objectNode();
        ObjectNode keys = body.putObject("one_time_keys");
        for (int i = 0; i < oneTimeKeys; i++) {
            keys.set("signed_curve25519:K" + i, signedOneTimeKey(ALICE, "PHONE", phoneKey, "key" + i, false));
        }
        if (withFallback) {
            body.putObject("fallback_keys").set("signed_curve25519:FB", signedOneTimeKey(ALICE, "PHONE", phoneKey, "fb", true));
        }
        e2ee.keyUploads().upload(ALICE, "PHONE", body).join();
    }

    private ObjectNode claimRequest() {
        ObjectNode body = JSON.objectNode();
        body.putObject("one_time_keys").putObject(ALICE).put("PHONE", "signed_curve25519");
        return body;
    }

    /** The key ID handed out for Alice's phone, or null when none. */
    private String claimedKeyId(ObjectNode answer) {
        JsonNode device = answer.path("one_time_keys").path(ALICE).path("PHONE");
        return device.isObject() ? device.fieldNames().next() : null;
    }

    @Test
    void eachOneTimeKeyIsHandedOutOnceAndThenTheFallbackKeyWhichIsReportedUsed() {
        createUser(ALICE, "PHONE");
        uploadDeviceKeys(ALICE, "PHONE", phoneKey);
        uploadKeys(2, true);

        ObjectNode first = e2ee.keyClaims().claim(claimRequest()).join();
        assertEquals("signed_curve25519:K0", claimedKeyId(first));
        assertEquals("key0", first.path("one_time_keys").path(ALICE).path("PHONE").path("signed_curve25519:K0").path("key").asText());
        assertEquals("signed_curve25519:K1", claimedKeyId(e2ee.keyClaims().claim(claimRequest()).join()));
        assertEquals(List.of("signed_curve25519"), e2ee.keyUploads().unusedFallbackKeyTypes(ALICE, "PHONE"));

        assertEquals("signed_curve25519:FB", claimedKeyId(e2ee.keyClaims().claim(claimRequest()).join()));
        assertEquals("signed_curve25519:FB", claimedKeyId(e2ee.keyClaims().claim(claimRequest()).join()),
                "a fallback key is not consumed");
        assertEquals(List.of(), e2ee.keyUploads().unusedFallbackKeyTypes(ALICE, "PHONE"));
        assertEquals(Map.of(), e2ee.keyUploads().oneTimeKeyCounts(ALICE, "PHONE"));
    }

    @Test
    void deviceWithoutKeysIsAbsentFromTheAnswer() {
        createUser(ALICE, "PHONE");
        ObjectNode answer = e2ee.keyClaims().claim(claimRequest()).join();
        assertEquals(JSON.objectNode(), answer.get("one_time_keys"));
        assertEquals(JSON.objectNode(), answer.get("failures"));
    }

    @Test
    void concurrentClaimsNeverHandOutTheSameOneTimeKey() throws Exception {
        createUser(ALICE, "PHONE");
        uploadDeviceKeys(ALICE, "PHONE", phoneKey);
        uploadKeys(20, false);
        ExecutorService claimers = Executors.newFixedThreadPool(8);
        try {
            List<Future<ObjectNode>> claims = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                claims.add(claimers.submit(() -> e2ee.keyClaims().claim(claimRequest()).join()));
            }
            List<String> handedOut = new ArrayList<>();
            for (Future<ObjectNode> claim : claims) {
                String keyId = claimedKeyId(claim.get());
                if (keyId != null) {
                    handedOut.add(keyId);
                }
            }
            assertEquals(20, handedOut.size(), "every key is handed out and ten claims find none left");
            Set<String> distinct = new HashSet<>(handedOut);
            assertEquals(20, distinct.size(), "no key was handed out twice: " + handedOut);
        } finally {
            claimers.shutdownNow();
        }
    }

    @Test
    void remoteUsersAreListedInFailuresWhenTheirServerCannotBeAsked() {
        ObjectNode body = JSON.objectNode();
        body.putObject("one_time_keys").putObject(REMOTE).put("DEV", "signed_curve25519");
        ObjectNode answer = e2ee.keyClaims().claim(body).join();
        assertTrue(answer.path("failures").has("remote.example"));
        assertFalse(answer.path("one_time_keys").has(REMOTE));
    }

    @Test
    void remoteServersAreAskedOnlyAboutTheirOwnUsersAndTheirKeysMerged() {
        List<ObjectNode> asked = new ArrayList<>();
        remoteKeys = new RemoteKeys() {
            @Override
            public CompletableFuture<ObjectNode> queryKeys(String serverName, ObjectNode request) {
                throw new AssertionError("not a query");
            }

            @Override
            public CompletableFuture<ObjectNode> claimKeys(String serverName, ObjectNode request) {
                asked.add(request);
                ObjectNode answer = JSON.objectNode();
                answer.putObject("one_time_keys").putObject(REMOTE).putObject("DEV").put("signed_curve25519:R", "remote-key");
                return CompletableFuture.completedFuture(answer);
            }
        };
        createUser(ALICE, "PHONE");
        ObjectNode body = claimRequest();
        ((ObjectNode) body.get("one_time_keys")).putObject(REMOTE).put("DEV", "signed_curve25519");

        ObjectNode answer = e2ee.keyClaims().claim(body).join();

        assertEquals(1, asked.size());
        assertEquals(List.of(REMOTE), iterable(asked.get(0).get("one_time_keys").fieldNames()));
        assertEquals("remote-key", answer.path("one_time_keys").path(REMOTE).path("DEV").path("signed_curve25519:R").asText());
    }

    private static List<String> iterable(java.util.Iterator<String> names) {
        List<String> list = new ArrayList<>();
        names.forEachRemaining(list::add);
        return list;
    }
}
