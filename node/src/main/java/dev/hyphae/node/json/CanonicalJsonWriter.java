package dev.hyphae.node.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/** Writes one value in canonical JSON into a growing byte buffer. Not thread-safe; one per encoding. */
final class CanonicalJsonWriter {
    private static final byte[] HEX = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final byte[] TRUE = {'t', 'r', 'u', 'e'};
    private static final byte[] FALSE = {'f', 'a', 'l', 's', 'e'};
    private static final byte[] NULL = {'n', 'u', 'l', 'l'};

    private byte[] buf;
    private int len;

    CanonicalJsonWriter(int initialCapacity) {
        buf = new byte[initialCapacity];
    }

    byte[] toByteArray() {
        return Arrays.copyOf(buf, len);
    }

    CanonicalJsonWriter value(JsonNode node) {
        switch (node.getNodeType()) {
            case OBJECT -> object((ObjectNode) node, Set.of());
            case ARRAY -> array(node);
            case STRING -> string(node.textValue());
            case NUMBER -> number(node);
            case BOOLEAN -> raw(node.booleanValue() ? TRUE : FALSE);
            case NULL -> raw(NULL);
            default -> throw new CanonicalJsonException("cannot encode a " + node.getNodeType() + " node as JSON");
        }
        return this;
    }

    CanonicalJsonWriter objectWithout(ObjectNode node, Set<String> omitted) {
        object(node, omitted);
        return this;
    }

    private void object(ObjectNode node, Set<String> omitted) {
        int size = node.size();
        @SuppressWarnings("unchecked")
        Map.Entry<String, JsonNode>[] entries = new Map.Entry[size];
        int count = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            if (omitted.isEmpty() || !omitted.contains(entry.getKey())) {
                entries[count++] = entry;
            }
        }
        if (count > 1) {
            sortByCodePoint(entries, count);
        }
        ensure(1);
        buf[len++] = '{';
        for (int i = 0; i < count; i++) {
            if (i > 0) {
                ensure(1);
                buf[len++] = ',';
            }
            string(entries[i].getKey());
            ensure(1);
            buf[len++] = ':';
            value(entries[i].getValue());
        }
        ensure(1);
        buf[len++] = '}';
    }

    /** Insertion sort for the small objects events are made of; keys are unique so order is total. */
    private static void sortByCodePoint(Map.Entry<String, JsonNode>[] entries, int count) {
        if (count > 16) {
            Arrays.sort(entries, 0, count, (a, b) -> compareCodePoints(a.getKey(), b.getKey()));
            return;
        }
        for (int i = 1; i < count; i++) {
            Map.Entry<String, JsonNode> current = entries[i];
            int j = i - 1;
            while (j >= 0 && compareCodePoints(entries[j].getKey(), current.getKey()) > 0) {
                entries[j + 1] = entries[j];
                j--;
            }
            entries[j + 1] = current;
        }
    }

    /**
     * Compares by Unicode code point. {@link String#compareTo} compares UTF-16 units, which puts
     * supplementary characters (surrogates, D800–DFFF) before U+E000–U+FFFF; code point order
     * puts them after.
     */
    static int compareCodePoints(String a, String b) {
        int n = Math.min(a.length(), b.length());
        for (int i = 0; i < n; i++) {
            char x = a.charAt(i);
            char y = b.charAt(i);
            if (x != y) {
                if (x >= 0xD800 && y >= 0xD800) {
                    return fixup(x) - fixup(y);
                }
                return x - y;
            }
        }
        return a.length() - b.length();
    }

    private static int fixup(char c) {
        // Move surrogates above the rest of the BMP so that they sort like the code points they encode.
        return c >= 0xE000 ? c - 0x800 : c + 0x2000;
    }

    private void array(JsonNode node) {
        ensure(1);
        buf[len++] = '[';
        int i = 0;
        for (JsonNode element : node) {
            if (i++ > 0) {
                ensure(1);
                buf[len++] = ',';
            }
            value(element);
        }
        ensure(1);
        buf[len++] = ']';
    }

    private void number(JsonNode node) {
        if (node.canConvertToExactIntegral() && !node.isBigDecimal() && !node.isFloatingPointNumber()) {
            if (node.isBigInteger()) {
                ascii(node.bigIntegerValue().toString());
            } else {
                longValue(node.longValue());
            }
            return;
        }
        // Floats with an integral value encode as that integer (the appendix's 1e10 example); others have no encoding.
        double d = node.doubleValue();
        if (d == Math.rint(d) && !Double.isInfinite(d)) {
            if (Math.abs(d) < 0x1p63) {
                longValue((long) d);
            } else {
                ascii(new java.math.BigDecimal(d).toBigInteger().toString());
            }
            return;
        }
        // Room versions 1 to 5 may hold floats ("floaty" power levels); write plain decimals as Python's json does.
        String decimal = Double.toString(d);
        if (Double.isFinite(d) && decimal.indexOf('E') < 0) {
            ascii(decimal);
            return;
        }
        throw new CanonicalJsonException("number " + node.asText() + " cannot be encoded; canonical JSON has no floats");
    }

    private void longValue(long value) {
        // -0 cannot occur in a long; writing digits directly avoids a String per number.
        if (value == Long.MIN_VALUE) {
            ascii(Long.toString(value));
            return;
        }
        ensure(20);
        if (value < 0) {
            buf[len++] = '-';
            value = -value;
        }
        if (value < 10) {
            buf[len++] = (byte) ('0' + value);
            return;
        }
        int digits = 0;
        for (long v = value; v > 0; v /= 10) {
            digits++;
        }
        int end = len + digits;
        for (int p = end - 1; p >= len; p--) {
            buf[p] = (byte) ('0' + (value % 10));
            value /= 10;
        }
        len = end;
    }

    private void ascii(String s) {
        ensure(s.length());
        for (int i = 0; i < s.length(); i++) {
            buf[len++] = (byte) s.charAt(i);
        }
    }

    private void raw(byte[] bytes) {
        ensure(bytes.length);
        System.arraycopy(bytes, 0, buf, len, bytes.length);
        len += bytes.length;
    }

    private void string(String s) {
        int n = s.length();
        // Worst case per UTF-16 unit: 6 bytes (a backslash-u escape) — covers 3-byte UTF-8 and 4 bytes per surrogate pair.
        ensure(n * 6 + 2);
        byte[] b = buf;
        int p = len;
        b[p++] = '"';
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                if (c >= 0x20 && c != '"' && c != '\\') {
                    b[p++] = (byte) c;
                } else {
                    p = escape(b, p, c);
                }
            } else if (c < 0x800) {
                b[p++] = (byte) (0xC0 | (c >> 6));
                b[p++] = (byte) (0x80 | (c & 0x3F));
            } else if (Character.isSurrogate(c)) {
                if (!Character.isHighSurrogate(c) || i + 1 >= n || !Character.isLowSurrogate(s.charAt(i + 1))) {
                    throw new CanonicalJsonException("string contains an unpaired surrogate at index " + i);
                }
                int cp = Character.toCodePoint(c, s.charAt(++i));
                b[p++] = (byte) (0xF0 | (cp >> 18));
                b[p++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
                b[p++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
                b[p++] = (byte) (0x80 | (cp & 0x3F));
            } else {
                b[p++] = (byte) (0xE0 | (c >> 12));
                b[p++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                b[p++] = (byte) (0x80 | (c & 0x3F));
            }
        }
        b[p++] = '"';
        len = p;
    }

    private static int escape(byte[] b, int p, char c) {
        b[p++] = '\\';
        switch (c) {
            case '"' -> b[p++] = '"';
            case '\\' -> b[p++] = '\\';
            case '\b' -> b[p++] = 'b';
            case '\t' -> b[p++] = 't';
            case '\n' -> b[p++] = 'n';
            case '\f' -> b[p++] = 'f';
            case '\r' -> b[p++] = 'r';
            default -> {
                b[p++] = 'u';
                b[p++] = '0';
                b[p++] = '0';
                b[p++] = HEX[c >> 4];
                b[p++] = HEX[c & 0xF];
            }
        }
        return p;
    }

    private void ensure(int extra) {
        if (len + extra > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + extra));
        }
    }
}
