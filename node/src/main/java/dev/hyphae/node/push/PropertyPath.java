package dev.hyphae.node.push;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A dot-separated property path (appendices, "Dot-separated property paths"): property names joined
 * by dots, where a literal dot or backslash inside a name is escaped with a backslash, e.g.
 * {@code content.m\.relates_to}. Other escapes are kept as written: {@code \x} is a backslash and
 * an {@code x}.
 */
public final class PropertyPath {
    private final List<String> names;

    private PropertyPath(List<String> names) {
        this.names = List.copyOf(names);
    }

    /** Parses a path; every path parses, an empty one naming the property {@code ""}. */
    public static PropertyPath parse(String path) {
        Objects.requireNonNull(path, "path");
        List<String> names = new ArrayList<>();
        StringBuilder name = new StringBuilder();
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == '\\' && i + 1 < path.length() && (path.charAt(i + 1) == '.' || path.charAt(i + 1) == '\\')) {
                name.append(path.charAt(++i));
            } else if (c == '.') {
                names.add(name.toString());
                name.setLength(0);
            } else {
                name.append(c);
            }
        }
        names.add(name.toString());
        return new PropertyPath(names);
    }

    public List<String> names() {
        return names;
    }

    /** The value at this path in {@code root}, empty when any step is absent or not an object. */
    public Optional<JsonNode> lookup(JsonNode root) {
        JsonNode node = root;
        for (String name : names) {
            if (!(node instanceof ObjectNode object) || !object.has(name)) {
                return Optional.empty();
            }
            node = object.get(name);
        }
        return Optional.of(node);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof PropertyPath path && path.names.equals(names);
    }

    @Override
    public int hashCode() {
        return names.hashCode();
    }

    @Override
    public String toString() {
        return String.join(".", names.stream().map(n -> n.replace("\\", "\\\\").replace(".", "\\.")).toList());
    }
}
