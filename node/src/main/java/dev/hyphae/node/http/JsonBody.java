package dev.hyphae.node.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A JSON object from a request, with typed reads that fail with the spec's errors: a missing
 * required field gives {@code M_MISSING_PARAM}, a field of the wrong type {@code M_BAD_JSON}. An
 * explicit {@code null} counts as absent.
 */
public final class JsonBody {
    private final ObjectNode object;
    private final String where;

    public JsonBody(ObjectNode object) {
        this(object, "");
    }

    private JsonBody(ObjectNode object, String where) {
        this.object = Objects.requireNonNull(object, "object");
        this.where = where;
    }

    /** The underlying object; callers must not change it. */
    public ObjectNode raw() {
        return object;
    }

    public boolean has(String field) {
        JsonNode value = object.get(field);
        return value != null && !value.isNull();
    }

    public String string(String field) {
        return optionalString(field).orElseThrow(() -> missing(field));
    }

    public Optional<String> optionalString(String field) {
        JsonNode value = object.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isTextual()) {
            throw wrongType(field, "a string");
        }
        return Optional.of(value.textValue());
    }

    public Optional<Boolean> optionalBoolean(String field) {
        JsonNode value = object.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isBoolean()) {
            throw wrongType(field, "a boolean");
        }
        return Optional.of(value.booleanValue());
    }

    public boolean booleanOr(String field, boolean otherwise) {
        return optionalBoolean(field).orElse(otherwise);
    }

    public JsonBody object(String field) {
        return optionalObject(field).orElseThrow(() -> missing(field));
    }

    public Optional<JsonBody> optionalObject(String field) {
        JsonNode value = object.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isObject()) {
            throw wrongType(field, "an object");
        }
        return Optional.of(new JsonBody((ObjectNode) value, path(field) + "."));
    }

    /** A required array of strings. */
    public List<String> strings(String field) {
        JsonNode value = object.get(field);
        if (value == null || value.isNull()) {
            throw missing(field);
        }
        if (!value.isArray()) {
            throw wrongType(field, "an array of strings");
        }
        List<String> strings = new ArrayList<>(value.size());
        for (JsonNode item : value) {
            if (!item.isTextual()) {
                throw wrongType(field, "an array of strings");
            }
            strings.add(item.textValue());
        }
        return strings;
    }

    private String path(String field) {
        return where + field;
    }

    private MatrixException missing(String field) {
        return MatrixException.missingParam("Missing field '" + path(field) + "'");
    }

    private MatrixException wrongType(String field, String expected) {
        return MatrixException.badJson("Field '" + path(field) + "' must be " + expected);
    }
}
