package dev.hyphae.node.json;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Random trees against a slow, obviously correct encoder built from the appendix's rules. */
class CanonicalJsonPropertyTest {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String ALPHABET = "aZ09_\"\\/\u0000\u0007\u001f\u007f\u00e9\u65e5\uffff\uff01\ud83d\ude00\ud800\udc00 ";

    @Test
    void encoderMatchesReferenceAndParsingRoundTrips() {
        Random random = new Random(42);
        for (int i = 0; i < 2000; i++) {
            JsonNode tree = randomValue(random, 0);
            String encoded = CanonicalJson.encodeToString(tree);
            assertEquals(reference(tree), encoded);
            assertEquals(encoded, CanonicalJson.encodeToString(CanonicalJson.parse(encoded)));
        }
    }

    private static JsonNode randomValue(Random random, int depth) {
        int kind = depth > 3 ? 2 + random.nextInt(4) : random.nextInt(6);
        switch (kind) {
            case 0: {
                ObjectNode object = NODES.objectNode();
                for (int n = random.nextInt(6); n > 0; n--) {
                    object.set(randomString(random), randomValue(random, depth + 1));
                }
                return object;
            }
            case 1: {
                ArrayNode array = NODES.arrayNode();
                for (int n = random.nextInt(4); n > 0; n--) {
                    array.add(randomValue(random, depth + 1));
                }
                return array;
            }
            case 2:
                return NODES.textNode(randomString(random));
            case 3:
                return NODES.numberNode((random.nextLong() % CanonicalJson.MAX_SAFE_INTEGER));
            case 4:
                return NODES.booleanNode(random.nextBoolean());
            default:
                return NODES.nullNode();
        }
    }

    private static String randomString(Random random) {
        StringBuilder s = new StringBuilder();
        for (int n = random.nextInt(5); n > 0; n--) {
            int at = random.nextInt(ALPHABET.length());
            char c = ALPHABET.charAt(at);
            if (Character.isHighSurrogate(c)) {
                s.append(c).append(ALPHABET.charAt(at + 1));
            } else if (!Character.isLowSurrogate(c)) {
                s.append(c);
            }
        }
        return s.toString();
    }

    private static String reference(JsonNode node) {
        if (node.isObject()) {
            TreeMap<String, JsonNode> sorted = new TreeMap<>((a, b) -> {
                int[] x = a.codePoints().toArray();
                int[] y = b.codePoints().toArray();
                return java.util.Arrays.compare(x, y);
            });
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                sorted.put(e.getKey(), e.getValue());
            }
            StringBuilder out = new StringBuilder("{");
            sorted.forEach((k, v) -> out.append(out.length() > 1 ? "," : "").append(referenceString(k)).append(':')
                    .append(reference(v)));
            return out.append('}').toString();
        }
        if (node.isArray()) {
            StringBuilder out = new StringBuilder("[");
            for (JsonNode element : node) {
                out.append(out.length() > 1 ? "," : "").append(reference(element));
            }
            return out.append(']').toString();
        }
        if (node.isTextual()) {
            return referenceString(node.textValue());
        }
        return node.toString();
    }

    private static String referenceString(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\t' -> out.append("\\t");
                case '\n' -> out.append("\\n");
                case '\f' -> out.append("\\f");
                case '\r' -> out.append("\\r");
                default -> out.append(c < 0x20 ? String.format("\\u%04x", (int) c) : String.valueOf(c));
            }
        }
        return out.append('"').toString();
    }
}
