package dev.hyphae.node.e2ee;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.hyphae.node.signing.SigningKey;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KeyUploadsTest extends E2eeFixture {
    private final SigningKey phoneKey = newKey();

    @Test
    void deviceKeysAndOneTimeKeysAreStoredAndTheCountsReturned() {
        createUser(ALICE, "PHONE");
        ObjectNode body = JSON.objectNode();
        body.set("device_keys", deviceKeys(ALICE, "PHONE", phoneKey));
        ObjectNode oneTimeKeys = body.putObject("one_time_keys");
        oneTimeKeys.set("signed_curve25519:AAA", signedOneTimeKey(ALICE, "PHONE", phoneKey, "k1", false));
        oneTimeKeys.set("signed_curve25519:AAB", signedOneTimeKey(ALICE, "PHONE", phoneKey, "k2", false));
        oneTimeKeys.put("curve25519:AAC", "plain");
        body.putObject("fallback_keys").set("signed_curve25519:FFF", signedOneTimeKey(ALICE, "PHONE", phoneKey, "f", true));

        Map<String, Integer> counts = e2ee.keyUploads().upload(ALICE, "PHONE", body).join();

        assertEquals(Map.of("signed_curve25519", 2, "curve25519", 1), counts);
        assertEquals(counts, e2ee.keyUploads().oneTimeKeyCounts(ALICE, "PHONE"));
        assertEquals(List.of("signed_curve25519"), e2ee.keyUploads().unusedFallbackKeyTypes(ALICE, "PHONE"));
        assertTrue(store.read(tx -> tx.deviceKeys().get(ALICE, "PHONE")).isPresent());
        assertEquals(List.of("device-list " + ALICE + " 1"), events);
    }

    @Test
    void deviceKeysSignedByAnotherKeyAreRefused() {
        createUser(ALICE, "PHONE");
        ObjectNode keys = deviceKeys(ALICE, "PHONE", phoneKey);
        keys.remove("signatures");
        sign(keys, ALICE, "ed25519:PHONE", newKey());
        ObjectNode body = JSON.objectNode();
        body.set("device_keys", keys);

        failsWith("M_INVALID_SIGNATURE", e2ee.keyUploads().upload(ALICE, "PHONE", body));
        assertTrue(store.read(tx -> tx.deviceKeys().get(ALICE, "PHONE")).isEmpty());
    }

    @Test
    void deviceKeysThatWereAlteredAfterSigningAreRefused() {
        createUser(ALICE, "PHONE");
        ObjectNode keys = deviceKeys(ALICE, "PHONE", phoneKey);
        ((ObjectNode) keys.get("keys")).put("curve25519:PHONE", "swapped");
        ObjectNode body = JSON.objectNode();
        body.set("device_keys", keys);

        failsWith("M_INVALID_SIGNATURE", e2ee.keyUploads().upload(ALICE, "PHONE", body));
    }

    @Test
    void deviceKeysNamingAnotherDeviceOrUserAreRefused() {
        createUser(ALICE, "PHONE", "LAPTOP");
        ObjectNode body = JSON.objectNode();
        body.set("device_keys", deviceKeys(ALICE, "LAPTOP", phoneKey));
        failsWith("M_INVALID_PARAM", e2ee.keyUploads().upload(ALICE, "PHONE", body));

        body.set("device_keys", deviceKeys(BOB, "PHONE", phoneKey));
        failsWith("M_INVALID_PARAM", e2ee.keyUploads().upload(ALICE, "PHONE", body));
    }

    @Test
    void publishedIdentityKeysCannotBeChangedButTheSameUploadIsAccepted() {
        createUser(ALICE, "PHONE");
        uploadDeviceKeys(ALICE, "PHONE", phoneKey);
        uploadDeviceKeys(ALICE, "PHONE", phoneKey);
        assertEquals(1, events.size(), "an identical upload is not a device list change");

        ObjectNode body = JSON.objectNode();
        body.set("device_keys", deviceKeys(ALICE, "PHONE", newKey()));
        failsWith("M_INVALID_PARAM", e2ee.keyUploads().upload(ALICE, "PHONE", body));
    }

    @Test
    void reusingAOneTimeKeyIdWithAnotherKeyRefusesTheWholeRequest() {
        createUser(ALICE, "PHONE");
        uploadDeviceKeys(ALICE, "PHONE", phoneKey);
        ObjectNode first = JSON.objectNode();
        first.putObject("one_time_keys").set("signed_curve25519:AAA", signedOneTimeKey(ALICE, "PHONE", phoneKey, "k1", false));
        e2ee.keyUploads().upload(ALICE, "PHONE", first).join();
        assertEquals(Map.of("signed_curve25519", 1), e2ee.keyUploads().upload(ALICE, "PHONE", first).join(),
                "the same key again is accepted and not counted twice");

        ObjectNode second = JSON.objectNode();
        ObjectNode keys = second.putObject("one_time_keys");
        keys.set("signed_curve25519:AAB", signedOneTimeKey(ALICE, "PHONE", phoneKey, "k2", false));
        keys.set("signed_curve25519:AAA", signedOneTimeKey(ALICE, "PHONE", phoneKey, "other", false));
        failsWith("M_INVALID_PARAM", e2ee.keyUploads().upload(ALICE, "PHONE", second));
        assertEquals(Map.of("signed_curve25519", 1), e2ee.keyUploads().oneTimeKeyCounts(ALICE, "PHONE"));
    }

    @Test
    void signedOneTimeKeyNotSignedByTheDeviceIsRefused() {
        createUser(ALICE, "PHONE");
        uploadDeviceKeys(ALICE, "PHONE", phoneKey);
        ObjectNode body = JSON.objectNode();
        body.putObject("one_time_keys").set("signed_curve25519:AAA", signedOneTimeKey(ALICE, "PHONE", newKey(), "k", false));
        failsWith("M_INVALID_SIGNATURE", e2ee.keyUploads().upload(ALICE, "PHONE", body));
        assertEquals(Map.of(), e2ee.keyUploads().oneTimeKeyCounts(ALICE, "PHONE"));
    }

    @Test
    void malformedKeysAreRefusedWithBadJson() {
        createUser(ALICE, "PHONE");
        ObjectNode body = JSON.objectNode();
        body.putObject("one_time_keys").put("no-algorithm", "k");
        failsWith("M_BAD_JSON", e2ee.keyUploads().upload(ALICE, "PHONE", body));
        body = JSON.objectNode();
        body.putObject("one_time_keys").put("curve25519:A", 5);
        failsWith("M_BAD_JSON", e2ee.keyUploads().upload(ALICE, "PHONE", body));
    }

    @Test
    void uploadForAnUnknownDeviceIsRefused() {
        createUser(ALICE, "PHONE");
        ObjectNode body = JSON.objectNode();
        body.putObject("one_time_keys").put("curve25519:A", "k");
        failsWith("M_NOT_FOUND", e2ee.keyUploads().upload(ALICE, "GONE", body));
    }
}
