package dev.hyphae.node.e2ee;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.hyphae.node.json.CanonicalJson;
import dev.hyphae.node.json.CanonicalJsonException;

import java.util.Optional;

/** Reading request fields with a clear refusal naming the field when it is missing or of the wrong type. */
final class JsonFields {
    private JsonFields() {
    }

    static Optional<ObjectNode> optionalObject(ObjectNode parent, String field) {
        JsonNode value = parent.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isObject()) {
            throw E2eeException.badJson("'" + field + "' must be an object");
        }
        return Optional.of((ObjectNode) value);
    }

    static ObjectNode requiredObject(ObjectNode parent, String field) {
        return optionalObject(parent, field).orElseThrow(() -> E2eeException.missingParam("'" + field + "' is required"));
    }

    static String requiredString(ObjectNode parent, String field) {
        JsonNode value = parent.get(field);
        if (value == null || value.isNull()) {
            throw E2eeException.missingParam("'" + field + "' is required");
        }
        if (!value.isTextual()) {
            throw E2eeException.badJson("'" + field + "' must be a string");
        }
        return value.textValue();
    }

    static long requiredInteger(ObjectNode parent, String field) {
        JsonNode value = parent.get(field);
        if (value == null || value.isNull()) {
            throw E2eeException.missingParam("'" + field + "' is required");
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw E2eeException.badJson("'" + field + "' must be an integer");
        }
        return value.longValue();
    }

    static boolean requiredBoolean(ObjectNode parent, String field) {
        JsonNode value = parent.get(field);
        if (value == null || value.isNull()) {
            throw E2eeException.missingParam("'" + field + "' is required");
        }
        if (!value.isBoolean()) {
            throw E2eeException.badJson("'" + field + "' must be a boolean");
        }
        return value.booleanValue();
    }

    /** The object as canonical JSON text, refusing values canonical JSON cannot hold. */
    static String canonical(JsonNode value) {
        try {
            return CanonicalJson.encodeToString(value);
        } catch (CanonicalJsonException e) {
            throw E2eeException.badJson(e.getMessage());
        }
    }

    static ObjectNode parseStored(String json) {
        return CanonicalJson.parseObject(json);
    }

    /** A stored JSON value that may be a string or an object, such as a one-time key. */
    static JsonNode parseStoredValue(String json) {
        return CanonicalJson.parse(json);
    }
}
