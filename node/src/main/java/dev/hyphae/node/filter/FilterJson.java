package dev.hyphae.node.filter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Reads the members of filter JSON. A member of the wrong JSON type is M_BAD_JSON; a member of the
 * right type with a value the spec does not allow is M_INVALID_PARAM. Unknown members are ignored.
 */
final class FilterJson {
    private FilterJson() {
    }

    /** The member as an object, or empty when absent or null. */
    static Optional<ObjectNode> object(ObjectNode parent, String name, String where) {
        JsonNode value = parent.get(name);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!(value instanceof ObjectNode object)) {
            throw FilterException.badJson(where + name + " must be an object");
        }
        return Optional.of(object);
    }

    static Optional<List<String>> strings(ObjectNode parent, String name, String where, String requiredSigil) {
        JsonNode value = parent.get(name);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isArray()) {
            throw FilterException.badJson(where + name + " must be an array of strings");
        }
        List<String> list = new ArrayList<>();
        for (JsonNode item : value) {
            if (!item.isTextual()) {
                throw FilterException.badJson(where + name + " must be an array of strings");
            }
            if (requiredSigil != null && !item.asText().startsWith(requiredSigil)) {
                throw FilterException.invalidParam(where + name + " holds " + shorten(item.asText())
                        + ", which does not start with " + requiredSigil);
            }
            list.add(item.asText());
        }
        return Optional.of(List.copyOf(list));
    }

    static Optional<Boolean> bool(ObjectNode parent, String name, String where) {
        JsonNode value = parent.get(name);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isBoolean()) {
            throw FilterException.badJson(where + name + " must be a boolean");
        }
        return Optional.of(value.asBoolean());
    }

    static OptionalInt positiveInt(ObjectNode parent, String name, String where) {
        JsonNode value = parent.get(name);
        if (value == null || value.isNull()) {
            return OptionalInt.empty();
        }
        if (!value.isIntegralNumber()) {
            throw FilterException.badJson(where + name + " must be an integer");
        }
        if (value.asLong() <= 0) {
            throw FilterException.invalidParam(where + name + " must be greater than 0");
        }
        return OptionalInt.of((int) Math.min(Integer.MAX_VALUE, value.asLong()));
    }

    static String shorten(String text) {
        return "'" + (text.length() > 40 ? text.substring(0, 40) + "..." : text) + "'";
    }
}
