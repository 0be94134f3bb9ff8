package dev.hyphae.node.federation.outbound;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/**
 * Schemas of the spec's server-server definitions ({@code data/api/server-server/definitions}),
 * with every {@code $ref} inlined, for checking what this node sends.
 */
public final class ServerServerSchemas {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_REF_DEPTH = 40;

    private final Path directory;

    private ServerServerSchemas(Path directory) {
        this.directory = directory;
    }

    public static ServerServerSchemas load() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            for (String relative : new String[] {"shared", "../shared"}) {
                Path candidate = dir.resolve(relative).resolve("matrix-spec/data/api/server-server").normalize();
                if (Files.isDirectory(candidate)) {
                    return new ServerServerSchemas(candidate);
                }
            }
            dir = dir.getParent();
        }
        throw new IllegalStateException("the Matrix spec is not in shared/matrix-spec above " + Path.of("").toAbsolutePath());
    }

    /** Fails unless {@code value} satisfies the schema in {@code definition}, e.g. {@code definitions/transaction.yaml}. */
    public void assertValid(String definition, JsonNode value) {
        Path file = directory.resolve(definition);
        JsonNode schema = inline(read(file), file, 0);
        Set<ValidationMessage> problems = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                .getSchema(schema).validate(value);
        assertTrue(problems.isEmpty(), value + " breaks " + definition + ": " + problems);
    }

    private JsonNode inline(JsonNode node, Path file, int depth) {
        if (depth > MAX_REF_DEPTH) {
            return JSON.createObjectNode();
        }
        if (node.isObject()) {
            JsonNode ref = node.get("$ref");
            if (ref != null && ref.isTextual()) {
                String target = ref.textValue();
                int hash = target.indexOf('#');
                String filePart = hash < 0 ? target : target.substring(0, hash);
                Path targetFile = filePart.isEmpty() ? file : file.getParent().resolve(filePart).normalize();
                JsonNode resolved = read(targetFile).at(hash < 0 ? "" : target.substring(hash + 1));
                return inline(resolved, targetFile, depth + 1);
            }
            ObjectNode copy = JSON.createObjectNode();
            node.fields().forEachRemaining(field -> {
                // Examples may point at files that are not schemas; they play no part in validation.
                if (!field.getKey().equals("example") && !field.getKey().equals("examples")) {
                    copy.set(field.getKey(), inline(field.getValue(), file, depth));
                }
            });
            return copy;
        }
        if (node.isArray()) {
            var copy = JSON.createArrayNode();
            node.forEach(item -> copy.add(inline(item, file, depth)));
            return copy;
        }
        return node;
    }

    private static JsonNode read(Path file) {
        try {
            return YAML.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + file, e);
        }
    }
}
