package dev.hyphae.node.signing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyphae.node.json.CanonicalJson;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class JsonSigningTest {
    private final SigningKey key = TestKeys.appendixKey();

    @Test
    void appendixEmptyObjectSignatureReproduces() {
        ObjectNode signed = JsonSigning.sign(CanonicalJson.parseObject("{}"), "domain", key);
        assertEquals("{\"signatures\":{\"domain\":{\"ed25519:1\":\"K8280/U9SSy9IVtjBuVeLr+HpOB4BQFWbg+UZaADMtTdGYI7Geitb76LTrr5QV/"
                + "7Xg4ahLwYGYZzuHGZKM5ZAQ\"}}}", CanonicalJson.encodeToString(signed));
    }

    @Test
    void appendixObjectWithDataSignatureReproduces() {
        ObjectNode signed = JsonSigning.sign(CanonicalJson.parseObject("{\"one\":1,\"two\":\"Two\"}"), "domain", key);
        assertEquals("{\"one\":1,\"signatures\":{\"domain\":{\"ed25519:1\":\"KqmLSbO39/Bzb0QIYE82zqLwsA+PDzYIpIRA2sRQ4sL53+sN6/"
                + "fpNSoqE7BP7vBZhG6kYdD13EIMJpvhJI+6Bw\"}},\"two\":\"Two\"}", CanonicalJson.encodeToString(signed));
    }

    @Test
    void unsignedAndExistingSignaturesAreNotCovered() {
        ObjectNode object = CanonicalJson.parseObject("{\"one\":1,\"two\":\"Two\",\"unsigned\":{\"age_ts\":5},"
                + "\"signatures\":{\"other\":{\"ed25519:x\":\"abc\"}}}");
        JsonSigning.sign(object, "domain", key);
        assertEquals("KqmLSbO39/Bzb0QIYE82zqLwsA+PDzYIpIRA2sRQ4sL53+sN6/fpNSoqE7BP7vBZhG6kYdD13EIMJpvhJI+6Bw",
                object.path("signatures").path("domain").path("ed25519:1").asText());
        assertEquals("abc", object.path("signatures").path("other").path("ed25519:x").asText());
        assertEquals(5, object.path("unsigned").path("age_ts").asInt());
    }

    @Test
    void signedObjectVerifies() {
        ObjectNode object = JsonSigning.sign(CanonicalJson.parseObject("{\"a\":[1,2,{\"b\":\"c\"}]}"), "domain", key);
        object.putObject("unsigned").put("added", "later");
        assertTrue(JsonSigning.verify(object, "domain", key.verifyKey()).valid());
    }

    @Test
    void tamperedObjectFailsWithAReason() {
        ObjectNode object = JsonSigning.sign(CanonicalJson.parseObject("{\"a\":1}"), "domain", key);
        object.put("a", 2);
        SignatureCheck check = JsonSigning.verify(object, "domain", key.verifyKey());
        assertFalse(check.valid());
        assertEquals("signature domain ed25519:1 does not verify", check.reason());
    }

    @Test
    void missingSignaturesFailWithReasons() {
        ObjectNode unsigned = CanonicalJson.parseObject("{\"a\":1}");
        assertEquals("no signatures object", JsonSigning.verify(unsigned, "domain", key.verifyKey()).reason());
        ObjectNode signed = JsonSigning.sign(CanonicalJson.parseObject("{\"a\":1}"), "domain", key);
        assertEquals("no signatures from elsewhere", JsonSigning.verify(signed, "elsewhere", key.verifyKey()).reason());
        SignatureCheck unknownKey = JsonSigning.verify(signed, "domain", (entity, keyId) -> Optional.empty());
        assertEquals("no known verification key for the signatures from domain", unknownKey.reason());
    }

    @Test
    void onlyOtherAlgorithmsFail() {
        ObjectNode object = CanonicalJson.parseObject("{\"signatures\":{\"domain\":{\"curve25519:1\":\"abc\"}}}");
        assertEquals("no ed25519 signatures from domain", JsonSigning.verify(object, "domain", key.verifyKey()).reason());
    }

    @Test
    void badBase64SignatureFails() {
        ObjectNode object = CanonicalJson.parseObject("{\"signatures\":{\"domain\":{\"ed25519:1\":\"!!\"}}}");
        assertTrue(JsonSigning.verify(object, "domain", key.verifyKey()).reason().contains("not base64"));
    }

    @Test
    void wrongKeyFails() {
        SigningKey other = SigningKey.fromSeed("ed25519:1", new byte[32]);
        ObjectNode object = JsonSigning.sign(CanonicalJson.parseObject("{\"a\":1}"), "domain", other);
        assertFalse(JsonSigning.verify(object, "domain", key.verifyKey()).valid());
    }

    @Test
    void keysRejectBadSeedsAndKeyIds() {
        assertThrows(IllegalArgumentException.class, () -> SigningKey.fromSeed("ed25519:1", new byte[31]));
        assertThrows(IllegalArgumentException.class, () -> SigningKey.fromSeed("ed25519:", new byte[32]));
        assertThrows(IllegalArgumentException.class, () -> SigningKey.fromSeed("rsa:1", new byte[32]));
        assertThrows(IllegalArgumentException.class, () -> SigningKey.fromSeed("ed25519:a-b", new byte[32]));
        assertThrows(IllegalArgumentException.class, () -> VerifyKey.fromBytes("ed25519:1", new byte[33]));
        assertThrows(IllegalArgumentException.class, () -> VerifyKey.fromBytes("curve25519:1", key.publicKey()));
        // Keys other servers publish verify even when their version strays from [a-zA-Z0-9_].
        assertEquals("ed25519:a-b", VerifyKey.fromBytes("ed25519:a-b", key.publicKey()).keyId());
    }

    @Test
    void verifyKeyRoundTripsThroughBase64() {
        VerifyKey verifyKey = key.verifyKey();
        assertEquals(verifyKey, VerifyKey.fromBase64("ed25519:1", verifyKey.publicKeyBase64()));
    }
}
