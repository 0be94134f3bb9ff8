package dev.hyphae.node.client;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The schema check used by the endpoint tests must be able to fail. */
class SpecResponseSchemasTest {
    private static final SpecResponseSchemas SCHEMAS = SpecResponseSchemas.load();

    @Test
    void aVersionsAnswerWithoutVersionsBreaksTheSpec() {
        assertThrows(AssertionError.class, () -> SCHEMAS.assertValid("GET", "/_matrix/client/versions", 200, "{}"));
        assertDoesNotThrow(() -> SCHEMAS.assertValid("GET", "/_matrix/client/versions", 200, "{\"versions\": [\"v1.1\"]}"));
    }

    @Test
    void referencedSchemasAreResolvedAcrossFiles() {
        // GET /devices/{deviceId} refers to definitions/client_device.yaml, which requires device_id.
        assertThrows(AssertionError.class, () -> SCHEMAS.assertValid("GET", "/_matrix/client/v3/devices/ABC", 200,
                "{\"display_name\": \"x\"}"));
        assertDoesNotThrow(() -> SCHEMAS.assertValid("GET", "/_matrix/client/r0/devices/ABC", 200,
                "{\"device_id\": \"ABC\"}"));
    }

    @Test
    void anErrorWithoutErrcodeBreaksTheSpec() {
        assertThrows(AssertionError.class, () -> SCHEMAS.assertStandardError(400, "{\"error\": \"x\"}"));
        assertThrows(AssertionError.class, () -> SCHEMAS.assertStandardError(429,
                "{\"errcode\": \"M_LIMIT_EXCEEDED\", \"retry_after_ms\": \"soon\"}"));
    }

    @Test
    void aSuccessOnAnEndpointTheSpecDoesNotHaveIsRejected() {
        assertThrows(AssertionError.class, () -> SCHEMAS.assertValid("GET", "/_matrix/client/v3/made-up", 200, "{}"));
    }
}
