package dev.hyphae.store.sqlite;

import java.util.Collection;

/**
 * Encodes strings as a JSON array, so that a whole set of IDs can be bound to one parameter and
 * read in SQL with {@code json_each(?)}, instead of building SQL text of varying length.
 */
final class SqlJsonArray {
    private SqlJsonArray() {
    }

    static String of(Collection<String> values) {
        StringBuilder json = new StringBuilder(values.size() * 48 + 2).append('[');
        boolean first = true;
        for (String value : values) {
            if (!first) {
                json.append(',');
            }
            first = false;
            appendString(json, value);
        }
        return json.append(']').toString();
    }

    private static void appendString(StringBuilder json, String value) {
        json.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        json.append(String.format("\\u%04x", (int) c));
                    } else {
                        json.append(c);
                    }
                }
            }
        }
        json.append('"');
    }
}
