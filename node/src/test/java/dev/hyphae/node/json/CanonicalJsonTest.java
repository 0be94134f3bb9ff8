package dev.hyphae.node.json;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CanonicalJsonTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static String canonical(String json) throws Exception {
        return CanonicalJson.encodeToString(MAPPER.readTree(json));
    }

    @Test
    void appendixExamplesEncodeByteForByte() throws Exception {
        assertEquals("{}", canonical("{}"));
        assertEquals("{\"one\":1,\"two\":\"Two\"}", canonical("{\n    \"one\": 1,\n    \"two\": \"Two\"\n}"));
        assertEquals("{\"a\":\"1\",\"b\":\"2\"}", canonical("{\n    \"b\": \"2\",\n    \"a\": \"1\"\n}"));
        assertEquals("{\"a\":\"1\",\"b\":\"2\"}", canonical("{\"b\":\"2\",\"a\":\"1\"}"));
        assertEquals("{\"auth\":{\"mxid\":\"@john.doe:example.com\",\"profile\":{\"display_name\":\"John Doe\","
                + "\"three_pids\":[{\"address\":\"john.doe@example.org\",\"medium\":\"email\"},{\"address\":\"123456789\","
                + "\"medium\":\"msisdn\"}]},\"success\":true}}",
                canonical("{\"auth\":{\"success\":true,\"mxid\":\"@john.doe:example.com\",\"profile\":{\"display_name\":"
                        + "\"John Doe\",\"three_pids\":[{\"medium\":\"email\",\"address\":\"john.doe@example.org\"},"
                        + "{\"medium\":\"msisdn\",\"address\":\"123456789\"}]}}}"));
        assertEquals("{\"a\":\"日本語\"}", canonical("{\"a\": \"日本語\"}"));
        assertEquals("{\"日\":1,\"本\":2}", canonical("{\"本\": 2, \"日\": 1}"));
        assertEquals("{\"a\":\"日\"}", canonical("{\"a\": \"\\u65E5\"}"));
        assertEquals("{\"a\":null}", canonical("{\"a\": null}"));
        assertEquals("{\"a\":0,\"b\":10000000000}", canonical("{\"a\": -0, \"b\": 1e10}"));
    }

    @Test
    void outputIsUtf8() throws Exception {
        byte[] bytes = CanonicalJson.encode(MAPPER.readTree("{\"a\":\"é😀\"}"));
        assertArrayEquals("{\"a\":\"é😀\"}".getBytes(StandardCharsets.UTF_8), bytes);
    }

    @Test
    void keysSortByCodePointNotUtf16Unit() {
        ObjectNode object = JsonNodeFactory.instance.objectNode();
        object.put("\uD83D\uDE00", 1); // U+1F600, stored as surrogates D83D DE00
        object.put("\uFF01", 2);       // U+FF01, above the surrogates as a UTF-16 unit
        object.put("z", 3);
        assertEquals("{\"z\":3,\"！\":2,\"😀\":1}", CanonicalJson.encodeToString(object));
    }

    @Test
    void manyKeysSortTheSameWay() {
        ObjectNode object = JsonNodeFactory.instance.objectNode();
        for (int i = 40; i >= 0; i--) {
            object.put("k" + (char) ('a' + (i % 26)) + i, i);
        }
        String encoded = CanonicalJson.encodeToString(object);
        JsonNode reparsed = CanonicalJson.parse(encoded);
        String previous = "";
        for (var it = reparsed.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            assertTrue(previous.compareTo(key) < 0, previous + " before " + key);
            previous = key;
        }
    }

    @Test
    void controlCharactersUseTheGrammarsEscapes() {
        ObjectNode object = JsonNodeFactory.instance.objectNode();
        object.put("s", "\b\t\n\f\r\"\\\u0000\u0001\u000b\u001f\u007f/");
        assertEquals("{\"s\":\"\\b\\t\\n\\f\\r\\\"\\\\\\u0000\\u0001\\u000b\\u001f\u007f/\"}",
                CanonicalJson.encodeToString(object));
    }

    @Test
    void unpairedSurrogateCannotBeEncoded() {
        ObjectNode object = JsonNodeFactory.instance.objectNode();
        object.put("s", "a\uD800b");
        assertThrows(CanonicalJsonException.class, () -> CanonicalJson.encode(object));
    }

    @Test
    void legacyFloatsEncodeAsPlainDecimalsAndOthersAreRefused() {
        ObjectNode object = JsonNodeFactory.instance.objectNode();
        object.put("f", 50.5);
        assertEquals("{\"f\":50.5}", CanonicalJson.encodeToString(object));
        object.put("f", 1.0e-20);
        CanonicalJsonException e = assertThrows(CanonicalJsonException.class, () -> CanonicalJson.encode(object));
        assertTrue(e.getMessage().contains("no floats"), e.getMessage());
        object.put("f", Double.NaN);
        assertThrows(CanonicalJsonException.class, () -> CanonicalJson.encode(object));
    }

    @Test
    void lenientParseKeepsFloatsForLegacyRooms() {
        JsonNode node = CanonicalJson.parseLenient("{\"users_default\":50.5}".getBytes(StandardCharsets.UTF_8));
        assertTrue(node.get("users_default").isFloatingPointNumber());
        assertEquals("{\"users_default\":50.5}", CanonicalJson.encodeToString(node));
        assertThrows(CanonicalJsonException.class, () -> CanonicalJson.checkStrict(node));
    }

    @Test
    void encodeWithoutSkipsOnlyTopLevelKeys() {
        ObjectNode object = CanonicalJson.parseObject("{\"b\":{\"signatures\":1},\"signatures\":{},\"unsigned\":{},\"a\":[1,-2]}");
        assertEquals("{\"a\":[1,-2],\"b\":{\"signatures\":1}}",
                new String(CanonicalJson.encodeWithout(object, Set.of("signatures", "unsigned")), StandardCharsets.UTF_8));
    }

    @Test
    void strictParseAcceptsTheSafeIntegerBounds() {
        JsonNode node = CanonicalJson.parse("[9007199254740991,-9007199254740991,0,-0]");
        assertEquals("[9007199254740991,-9007199254740991,0,0]", CanonicalJson.encodeToString(node));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"a\":1.5}|not an integer",
            "{\"a\":1.0}|not an integer",
            "{\"a\":1e10}|not an integer",
            "{\"a\":9007199254740992}|outside",
            "{\"a\":-9007199254740992}|outside",
            "{\"a\":123456789012345678901234567890}|outside",
            "{\"a\":1,\"a\":2}|duplicate key \"a\"",
            "{\"a\":{\"b\":1,\"b\":1}}|duplicate key \"b\"",
            "{\"a\":1} x|malformed",
            "{\"a\":1}{}|after the JSON value",
            "{\"a\":1|malformed",
            "{\"a\":NaN}|malformed",
            "''|empty input"})
    void strictParseRejectsWithAReason(String json, String reason) {
        CanonicalJsonException e = assertThrows(CanonicalJsonException.class, () -> CanonicalJson.parse(json));
        assertTrue(e.getMessage().contains(reason), e.getMessage());
    }

    @Test
    void lenientParseKeepsBigIntegersAndIntegralFloats() {
        JsonNode node = CanonicalJson.parseLenient("[9007199254740993,123456789012345678901234567890,2.0]"
                .getBytes(StandardCharsets.UTF_8));
        assertEquals("[9007199254740993,123456789012345678901234567890,2]", CanonicalJson.encodeToString(node));
        assertThrows(CanonicalJsonException.class,
                () -> CanonicalJson.parseLenient("{\"a\":1,\"a\":1}".getBytes(StandardCharsets.UTF_8)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"[]", "\"x\"", "1"})
    void parseObjectRequiresAnObject(String json) {
        assertThrows(CanonicalJsonException.class, () -> CanonicalJson.parseObject(json));
    }

    @Test
    void checkStrictRejectsTreesBuiltWithFloatsOrLargeIntegers() {
        ObjectNode object = JsonNodeFactory.instance.objectNode();
        object.putArray("a").add(1L << 53);
        assertThrows(CanonicalJsonException.class, () -> CanonicalJson.checkStrict(object));
        object.removeAll().put("b", 0.5);
        assertThrows(CanonicalJsonException.class, () -> CanonicalJson.checkStrict(object));
        object.removeAll().put("c", CanonicalJson.MAX_SAFE_INTEGER);
        CanonicalJson.checkStrict(object);
    }
}
