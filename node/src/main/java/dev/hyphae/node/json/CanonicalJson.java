package dev.hyphae.node.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * Canonical JSON as the appendices define it: parsing that refuses what the encoding cannot
 * represent, and the encoding itself (keys sorted by code point, no insignificant whitespace,
 * minimal escapes, UTF-8). Parsing builds Jackson trees; encoding writes bytes directly.
 */
public final class CanonicalJson {
    /** The largest integer canonical JSON allows, 2^53 - 1; the smallest is its negation. */
    public static final long MAX_SAFE_INTEGER = (1L << 53) - 1;

    /** Error messages give offsets, not the input: event content does not belong in logs. */
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            .build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private CanonicalJson() {
    }

    /**
     * Parses JSON strictly (room versions 6 and later, and everything this server accepts from
     * clients): no duplicate keys, only integers in [-(2^53)+1, 2^53-1], no floats, nothing after
     * the value.
     */
    public static JsonNode parse(byte[] json) {
        return parse(json, true);
    }

    public static JsonNode parse(String json) {
        return parse(json.getBytes(StandardCharsets.UTF_8), true);
    }

    /** {@link #parse(byte[])} for input that must be a JSON object. */
    public static ObjectNode parseObject(byte[] json) {
        return asObject(parse(json, true));
    }

    public static ObjectNode parseObject(String json) {
        return parseObject(json.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Parses JSON as room versions 1 to 5 need: integers out of the safe range and floats are kept
     * (floats with integral values encode as integers); duplicate keys and trailing text are still refused.
     */
    public static JsonNode parseLenient(byte[] json) {
        return parse(json, false);
    }

    public static ObjectNode parseObjectLenient(byte[] json) {
        return asObject(parse(json, false));
    }

    private static ObjectNode asObject(JsonNode node) {
        if (!(node instanceof ObjectNode object)) {
            throw new CanonicalJsonException("expected a JSON object, got " + node.getNodeType().name().toLowerCase());
        }
        return object;
    }

    private static JsonNode parse(byte[] json, boolean strict) {
        try (JsonParser parser = FACTORY.createParser(json)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                throw new CanonicalJsonException("empty input");
            }
            JsonNode value = readValue(parser, first, strict);
            JsonToken trailing = parser.nextToken();
            if (trailing != null) {
                throw new CanonicalJsonException("unexpected " + trailing.asString() + " after the JSON value at "
                        + parser.currentLocation().offsetDescription());
            }
            return value;
        } catch (CanonicalJsonException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new CanonicalJsonException("malformed JSON: " + e.getMessage(), e);
        }
    }

    private static JsonNode readValue(JsonParser parser, JsonToken token, boolean strict) throws IOException {
        switch (token) {
            case START_OBJECT: {
                ObjectNode object = NODES.objectNode();
                for (JsonToken t = parser.nextToken(); t != JsonToken.END_OBJECT; t = parser.nextToken()) {
                    String name = parser.currentName();
                    JsonNode value = readValue(parser, parser.nextToken(), strict);
                    if (object.replace(name, value) != null) {
                        throw new CanonicalJsonException("duplicate key \"" + name + "\" at "
                                + parser.currentLocation().offsetDescription());
                    }
                }
                return object;
            }
            case START_ARRAY: {
                ArrayNode array = NODES.arrayNode();
                for (JsonToken t = parser.nextToken(); t != JsonToken.END_ARRAY; t = parser.nextToken()) {
                    array.add(readValue(parser, t, strict));
                }
                return array;
            }
            case VALUE_STRING:
                return NODES.textNode(parser.getText());
            case VALUE_TRUE:
                return NODES.booleanNode(true);
            case VALUE_FALSE:
                return NODES.booleanNode(false);
            case VALUE_NULL:
                return NODES.nullNode();
            case VALUE_NUMBER_INT:
                return readInteger(parser, strict);
            case VALUE_NUMBER_FLOAT:
                return readFloat(parser, strict);
            default:
                throw new CanonicalJsonException("unexpected " + token + " at " + parser.currentLocation().offsetDescription());
        }
    }

    private static JsonNode readInteger(JsonParser parser, boolean strict) throws IOException {
        if (parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
            if (strict) {
                throw outOfRange(parser.getText());
            }
            return NODES.numberNode(parser.getBigIntegerValue());
        }
        long value = parser.getLongValue();
        if (strict && (value > MAX_SAFE_INTEGER || value < -MAX_SAFE_INTEGER)) {
            throw outOfRange(parser.getText());
        }
        return NODES.numberNode(value);
    }

    private static JsonNode readFloat(JsonParser parser, boolean strict) throws IOException {
        if (strict) {
            throw new CanonicalJsonException("number " + parser.getText() + " is not an integer (floats are not allowed)");
        }
        // Kept as a float so that a later strict check still sees it; the encoder writes integral values as integers.
        return NODES.numberNode(parser.getDoubleValue());
    }

    private static CanonicalJsonException outOfRange(String number) {
        return new CanonicalJsonException("integer " + number + " is outside [-(2^53)+1, (2^53)-1]");
    }

    /** The canonical encoding of {@code value} as UTF-8 bytes. */
    public static byte[] encode(JsonNode value) {
        return new CanonicalJsonWriter(256).value(value).toByteArray();
    }

    public static String encodeToString(JsonNode value) {
        return new String(encode(value), StandardCharsets.UTF_8);
    }

    /**
     * The canonical encoding of {@code object} as if the named top-level keys were absent, without
     * copying it (signing and hashing drop {@code signatures}, {@code unsigned}, {@code hashes}).
     */
    public static byte[] encodeWithout(ObjectNode object, Set<String> omittedTopLevelKeys) {
        return new CanonicalJsonWriter(512).objectWithout(object, omittedTopLevelKeys).toByteArray();
    }

    /**
     * Checks that a tree built in memory is representable in canonical JSON as room versions 6
     * and later require (integers in range, no floats).
     */
    public static void checkStrict(JsonNode value) {
        if (value.isContainerNode()) {
            for (JsonNode child : value) {
                checkStrict(child);
            }
        } else if (value.isNumber()) {
            if (!value.isIntegralNumber()) {
                throw new CanonicalJsonException("number " + value + " is not an integer (floats are not allowed)");
            }
            if (value.isBigInteger()) {
                BigInteger big = value.bigIntegerValue();
                if (big.bitLength() > 63) {
                    throw outOfRange(big.toString());
                }
            }
            long n = value.longValue();
            if (n > MAX_SAFE_INTEGER || n < -MAX_SAFE_INTEGER) {
                throw outOfRange(Long.toString(n));
            }
        }
    }
}
