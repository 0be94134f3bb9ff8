package dev.hyphae.cli;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The node's configuration file: YAML whose keys are the long option names of {@code hyphae run}
 * without the dashes ({@code listen: 127.0.0.1:8008}, {@code bootstrap: [/ip4/…]}). A value is a
 * string, number, boolean or a list of those, for options that may be repeated.
 */
final class ConfigFile {
    private final Path path;
    private final Map<String, JsonNode> entries;
    private final List<String> problems;

    private ConfigFile(Path path, Map<String, JsonNode> entries, List<String> problems) {
        this.path = path;
        this.entries = entries;
        this.problems = problems;
    }

    /** No file: every option keeps its default. */
    static ConfigFile none() {
        return new ConfigFile(null, Map.of(), List.of());
    }

    /**
     * Reads {@code path}. A file that cannot be read or parsed, or that is not a mapping, gives a
     * config with that one problem and no entries; a missing file is a problem only if
     * {@code required}.
     */
    static ConfigFile read(Path path, boolean required) {
        String text;
        try {
            text = Files.readString(path);
        } catch (NoSuchFileException e) {
            return required ? new ConfigFile(path, Map.of(), List.of("file not found")) : none();
        } catch (IOException e) {
            return new ConfigFile(path, Map.of(), List.of("cannot read: " + e.getMessage()));
        }
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(text);
        } catch (JacksonException e) {
            String where = e.getLocation() == null ? "" : "line " + e.getLocation().getLineNr() + ": ";
            return new ConfigFile(path, Map.of(), List.of(where + "not valid YAML: "
                    + e.getOriginalMessage().replaceAll("\\s+", " ").trim()));
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            return new ConfigFile(path, Map.of(), List.of());
        }
        if (!root.isObject()) {
            return new ConfigFile(path, Map.of(), List.of("the file must be a mapping of option names to values"));
        }
        Map<String, JsonNode> entries = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> fields = root.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            JsonNode value = field.getValue();
            if (value.isObject() || value.isArray() && hasNested(value)) {
                problems.add(field.getKey() + ": must be a value or a list of values");
            } else {
                entries.put(field.getKey(), value);
            }
        }
        return new ConfigFile(path, entries, problems);
    }

    private static boolean hasNested(JsonNode array) {
        for (JsonNode item : array) {
            if (item.isContainerNode()) {
                return true;
            }
        }
        return false;
    }

    Optional<Path> path() {
        return Optional.ofNullable(path);
    }

    Map<String, JsonNode> entries() {
        return entries;
    }

    /** What was wrong with the file itself (reading, syntax, shape), one line each. */
    List<String> problems() {
        return problems;
    }

    /**
     * The value of {@code key} as a command-line argument: a list becomes its items joined with
     * commas (options that may be repeated split them again).
     */
    Optional<String> value(String key) {
        JsonNode value = entries.get(key);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (value.isArray()) {
            List<String> items = new ArrayList<>();
            value.forEach(item -> items.add(item.asText()));
            return items.isEmpty() ? Optional.empty() : Optional.of(String.join(",", items));
        }
        return Optional.of(value.asText());
    }
}
