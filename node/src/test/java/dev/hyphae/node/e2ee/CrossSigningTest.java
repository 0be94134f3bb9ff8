package dev.hyphae.node.e2ee;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.hyphae.node.signing.SigningKey;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CrossSigningTest extends E2eeFixture {
    private final SigningKey phoneKey = newKey();

    private ObjectNode query(String requester, String user) {
        ObjectNode body = JSON.objectNode();
        body.putObject("device_keys").putArray(user);
        return e2ee.keyQueries().query(requester, body).join();
    }

    private static ObjectNode signatureUpload(String user, String keyId, ObjectNode signed) {
        ObjectNode body = JSON.objectNode();
        body.putObject(user).set(keyId, signed);
        return body;
    }

    @Test
    void selfSigningKeyNotSignedByTheMasterKeyIsRefused() {
        createUser(ALICE, "PHONE");
        CrossSigningSet keys = crossSigningSet(ALICE);
        keys.body().set("self_signing_key", sign(crossSigningKey(ALICE, "self_signing", keys.selfSigning()), ALICE,
                "ed25519:" + publicKey(keys.master()), newKey()));

        failsWith("M_INVALID_SIGNATURE", e2ee.crossSigning().uploadSigningKeys(ALICE, keys.body()));
        assertTrue(store.read(tx -> tx.crossSigningKeys().get(ALICE, dev.hyphae.store.CrossSigningKeys.Usage.MASTER)).isEmpty(),
                "nothing of a refused upload is kept");
    }

    @Test
    void selfSigningKeyWithoutAnyMasterKeyIsMissingParam() {
        createUser(ALICE, "PHONE");
        CrossSigningSet keys = crossSigningSet(ALICE);
        keys.body().remove("master_key");
        failsWith("M_MISSING_PARAM", e2ee.crossSigning().uploadSigningKeys(ALICE, keys.body()));
    }

    @Test
    void laterSelfSigningKeyIsCheckedAgainstTheStoredMasterKey() {
        createUser(ALICE, "PHONE");
        CrossSigningSet keys = crossSigningSet(ALICE);
        e2ee.crossSigning().uploadSigningKeys(ALICE, keys.body()).join();

        SigningKey newSelfSigning = newKey();
        ObjectNode body = JSON.objectNode();
        body.set("self_signing_key", sign(crossSigningKey(ALICE, "self_signing", newSelfSigning), ALICE,
                "ed25519:" + publicKey(keys.master()), keys.master()));
        e2ee.crossSigning().uploadSigningKeys(ALICE, body).join();
        assertEquals(publicKey(newSelfSigning), query(ALICE, ALICE).path("self_signing_keys").path(ALICE).path("keys")
                .path("ed25519:" + publicKey(newSelfSigning)).asText());
    }

    @Test
    void crossSigningKeyEqualToADeviceIdIsForbidden() {
        CrossSigningSet keys = crossSigningSet(ALICE);
        createUser(ALICE, publicKey(keys.master()));
        failsWith("M_FORBIDDEN", e2ee.crossSigning().uploadSigningKeys(ALICE, keys.body()));
    }

    @Test
    void keyWhoseIdDoesNotMatchItsPublicKeyIsRefused() {
        createUser(ALICE, "PHONE");
        ObjectNode master = crossSigningKey(ALICE, "master", newKey());
        master.putObject("keys").put("ed25519:other", publicKey(newKey()));
        ObjectNode body = JSON.objectNode();
        body.set("master_key", master);
        failsWith("M_INVALID_PARAM", e2ee.crossSigning().uploadSigningKeys(ALICE, body));
    }

    @Test
    void userInteractiveAuthIsNeededOnlyToReplaceExistingKeys() {
        createUser(ALICE, "PHONE");
        CrossSigningSet keys = crossSigningSet(ALICE);
        assertFalse(e2ee.crossSigning().requiresUserInteractiveAuth(ALICE, keys.body()));
        e2ee.crossSigning().uploadSigningKeys(ALICE, keys.body()).join();
        assertFalse(e2ee.crossSigning().requiresUserInteractiveAuth(ALICE, keys.body()), "the same keys again");
        assertTrue(e2ee.crossSigning().requiresUserInteractiveAuth(ALICE, crossSigningSet(ALICE).body()));
    }

    @Test
    void uploadingKeysIsADeviceListChange() {
        createUser(ALICE, "PHONE");
        e2ee.crossSigning().uploadSigningKeys(ALICE, crossSigningSet(ALICE).body()).join();
        assertEquals(java.util.List.of("device-list " + ALICE + " 1"), events);
    }

    @Test
    void deviceSignedByTheSelfSigningKeyCarriesTheSignatureForEveryone() {
        createUser(ALICE, "PHONE");
        createUser(BOB, "DESK");
        uploadDeviceKeys(ALICE, "PHONE", phoneKey);
        CrossSigningSet keys = crossSigningSet(ALICE);
        e2ee.crossSigning().uploadSigningKeys(ALICE, keys.body()).join();

        String sskId = "ed25519:" + publicKey(keys.selfSigning());
        ObjectNode signed = sign(deviceKeys(ALICE, "PHONE", phoneKey), ALICE, sskId, keys.selfSigning());
        ObjectNode answer = e2ee.crossSigning().uploadSignatures(ALICE, signatureUpload(ALICE, "PHONE", signed)).join();

        assertEquals(JSON.objectNode(), answer.get("failures"));
        ObjectNode seenByBob = (ObjectNode) query(BOB, ALICE).path("device_keys").path(ALICE).path("PHONE");
        assertEquals(signed.path("signatures").path(ALICE).path(sskId), seenByBob.path("signatures").path(ALICE).path(sskId));
        assertTrue(seenByBob.path("signatures").path(ALICE).has("ed25519:PHONE"), "the device's own signature stays");
    }

    @Test
    void invalidSignaturesAreReportedPerKeyAndTheValidOnesStored() {
        createUser(ALICE, "PHONE", "LAPTOP");
        SigningKey laptopKey = newKey();
        uploadDeviceKeys(ALICE, "PHONE", phoneKey);
        uploadDeviceKeys(ALICE, "LAPTOP", laptopKey);
        CrossSigningSet keys = crossSigningSet(ALICE);
        e2ee.crossSigning().uploadSigningKeys(ALICE, keys.body()).join();
        String sskId = "ed25519:" + publicKey(keys.selfSigning());

        ObjectNode body = JSON.objectNode();
        ObjectNode mine = body.putObject(ALICE);
        mine.set("PHONE", sign(deviceKeys(ALICE, "PHONE", phoneKey), ALICE, sskId, keys.selfSigning()));
        mine.set("LAPTOP", sign(deviceKeys(ALICE, "LAPTOP", laptopKey), ALICE, sskId, newKey()));
        mine.set("NOSUCH", sign(deviceKeys(ALICE, "NOSUCH", newKey()), ALICE, sskId, keys.selfSigning()));
        ObjectNode answer = e2ee.crossSigning().uploadSignatures(ALICE, body).join();

        ObjectNode failures = (ObjectNode) answer.path("failures").path(ALICE);
        assertEquals("M_INVALID_SIGNATURE", failures.path("LAPTOP").path("errcode").asText());
        assertEquals("M_NOT_FOUND", failures.path("NOSUCH").path("errcode").asText());
        assertFalse(failures.has("PHONE"));
        assertEquals(1, store.read(tx -> tx.keySignatures().onKey(ALICE, "PHONE")).size());
        assertEquals(0, store.read(tx -> tx.keySignatures().onKey(ALICE, "LAPTOP")).size());
    }

    @Test
    void signedObjectThatDiffersFromThePublishedKeyIsRefused() {
        createUser(ALICE, "PHONE");
        uploadDeviceKeys(ALICE, "PHONE", phoneKey);
        CrossSigningSet keys = crossSigningSet(ALICE);
        e2ee.crossSigning().uploadSigningKeys(ALICE, keys.body()).join();
        String sskId = "ed25519:" + publicKey(keys.selfSigning());
        ObjectNode altered = deviceKeys(ALICE, "PHONE", phoneKey);
        ((ObjectNode) altered.get("keys")).put("curve25519:PHONE", "attacker");
        sign(altered, ALICE, sskId, keys.selfSigning());

        ObjectNode answer = e2ee.crossSigning().uploadSignatures(ALICE, signatureUpload(ALICE, "PHONE", altered)).join();
        assertEquals("M_INVALID_PARAM", answer.path("failures").path(ALICE).path("PHONE").path("errcode").asText());
    }

    @Test
    void masterKeySignedByOwnDeviceIsStored() {
        createUser(ALICE, "PHONE");
        uploadDeviceKeys(ALICE, "PHONE", phoneKey);
        CrossSigningSet keys = crossSigningSet(ALICE);
        e2ee.crossSigning().uploadSigningKeys(ALICE, keys.body()).join();
        ObjectNode master = sign(keys.body().get("master_key").deepCopy(), ALICE, "ed25519:PHONE", phoneKey);

        ObjectNode answer = e2ee.crossSigning()
                .uploadSignatures(ALICE, signatureUpload(ALICE, publicKey(keys.master()), master)).join();

        assertEquals(JSON.objectNode(), answer.get("failures"));
        assertTrue(query(ALICE, ALICE).path("master_keys").path(ALICE).path("signatures").path(ALICE).has("ed25519:PHONE"));
    }

    @Test
    void signatureOnAnotherUsersMasterKeyIsVisibleOnlyToTheSigner() {
        createUser(ALICE, "PHONE");
        createUser(BOB, "DESK");
        createUser("@eve:example.org", "EVE");
        CrossSigningSet alice = crossSigningSet(ALICE);
        CrossSigningSet bob = crossSigningSet(BOB);
        e2ee.crossSigning().uploadSigningKeys(ALICE, alice.body()).join();
        e2ee.crossSigning().uploadSigningKeys(BOB, bob.body()).join();
        String uskId = "ed25519:" + publicKey(alice.userSigning());
        ObjectNode bobsMaster = sign(bob.body().get("master_key").deepCopy(), ALICE, uskId, alice.userSigning());

        ObjectNode answer = e2ee.crossSigning()
                .uploadSignatures(ALICE, signatureUpload(BOB, publicKey(bob.master()), bobsMaster)).join();

        assertEquals(JSON.objectNode(), answer.get("failures"));
        assertTrue(query(ALICE, BOB).path("master_keys").path(BOB).path("signatures").path(ALICE).has(uskId));
        assertFalse(query("@eve:example.org", BOB).path("master_keys").path(BOB).path("signatures").has(ALICE));
        assertFalse(query(BOB, BOB).path("master_keys").path(BOB).path("signatures").has(ALICE));
    }

    @Test
    void signatureOnAnotherUsersMasterKeyByTheWrongKeyIsReported() {
        createUser(ALICE, "PHONE");
        createUser(BOB, "DESK");
        CrossSigningSet alice = crossSigningSet(ALICE);
        CrossSigningSet bob = crossSigningSet(BOB);
        e2ee.crossSigning().uploadSigningKeys(ALICE, alice.body()).join();
        e2ee.crossSigning().uploadSigningKeys(BOB, bob.body()).join();
        String uskId = "ed25519:" + publicKey(alice.userSigning());
        ObjectNode bobsMaster = sign(bob.body().get("master_key").deepCopy(), ALICE, uskId, alice.selfSigning());

        ObjectNode answer = e2ee.crossSigning()
                .uploadSignatures(ALICE, signatureUpload(BOB, publicKey(bob.master()), bobsMaster)).join();

        assertEquals("M_INVALID_SIGNATURE",
                answer.path("failures").path(BOB).path(publicKey(bob.master())).path("errcode").asText());
    }

    @Test
    void signatureOnARemoteUsersMasterKeyIsAddedToTheSignersQueryAnswer() {
        createUser(ALICE, "PHONE");
        CrossSigningSet alice = crossSigningSet(ALICE);
        CrossSigningSet carol = crossSigningSet(REMOTE);
        e2ee.crossSigning().uploadSigningKeys(ALICE, alice.body()).join();
        remoteKeys = new RemoteKeys() {
            @Override
            public java.util.concurrent.CompletableFuture<ObjectNode> queryKeys(String serverName, ObjectNode request) {
                ObjectNode answer = JSON.objectNode();
                answer.putObject("master_keys").set(REMOTE, carol.body().get("master_key").deepCopy());
                return java.util.concurrent.CompletableFuture.completedFuture(answer);
            }

            @Override
            public java.util.concurrent.CompletableFuture<ObjectNode> claimKeys(String serverName, ObjectNode request) {
                throw new AssertionError("not a claim");
            }
        };
        String uskId = "ed25519:" + publicKey(alice.userSigning());
        ObjectNode signed = sign(carol.body().get("master_key").deepCopy(), ALICE, uskId, alice.userSigning());

        ObjectNode answer = e2ee.crossSigning()
                .uploadSignatures(ALICE, signatureUpload(REMOTE, publicKey(carol.master()), signed)).join();

        assertEquals(JSON.objectNode(), answer.get("failures"));
        assertEquals(signed.path("signatures").path(ALICE).path(uskId),
                query(ALICE, REMOTE).path("master_keys").path(REMOTE).path("signatures").path(ALICE).path(uskId));
    }

    @Test
    void deviceCreatedAgainUnderTheSameIdDoesNotInheritOldSignatures() {
        createUser(ALICE, "PHONE");
        uploadDeviceKeys(ALICE, "PHONE", phoneKey);
        CrossSigningSet keys = crossSigningSet(ALICE);
        e2ee.crossSigning().uploadSigningKeys(ALICE, keys.body()).join();
        String sskId = "ed25519:" + publicKey(keys.selfSigning());
        e2ee.crossSigning().uploadSignatures(ALICE, signatureUpload(ALICE, "PHONE",
                sign(deviceKeys(ALICE, "PHONE", phoneKey), ALICE, sskId, keys.selfSigning()))).join();

        store.write(tx -> tx.devices().delete(ALICE, "PHONE")).join();
        store.write(tx -> tx.devices().insert(new dev.hyphae.store.Device(ALICE, "PHONE", null, null, null))).join();
        uploadDeviceKeys(ALICE, "PHONE", newKey());

        assertFalse(query(ALICE, ALICE).path("device_keys").path(ALICE).path("PHONE").path("signatures").path(ALICE).has(sskId));
    }

    @Test
    void crossSigningPublicKeysAreRecognisedAsTakenDeviceIds() {
        createUser(ALICE, "PHONE");
        CrossSigningSet keys = crossSigningSet(ALICE);
        e2ee.crossSigning().uploadSigningKeys(ALICE, keys.body()).join();
        assertTrue(e2ee.crossSigning().isCrossSigningPublicKey(ALICE, publicKey(keys.master())));
        assertTrue(e2ee.crossSigning().isCrossSigningPublicKey(ALICE, publicKey(keys.userSigning())));
        assertFalse(e2ee.crossSigning().isCrossSigningPublicKey(ALICE, "PHONE"));
        assertFalse(e2ee.crossSigning().isCrossSigningPublicKey(BOB, publicKey(keys.master())));
    }
}
