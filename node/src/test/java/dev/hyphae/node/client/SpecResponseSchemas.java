package dev.hyphae.node.client;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The response schemas of the spec's client-server OpenAPI files, found by (method, path, status)
 * with every {@code $ref} resolved by inlining, for checking real responses against the spec.
 * Errors whose status an endpoint does not list are checked against the standard error schema.
 */
public final class SpecResponseSchemas {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
    private static final int MAX_REF_DEPTH = 40;

    private final Path directory;
    private final List<Operation> operations = new ArrayList<>();
    private final Map<Path, JsonNode> files = new HashMap<>();
    private final Map<String, JsonSchema> compiled = new HashMap<>();

    private record Operation(String method, String[] segments, Path file, JsonNode responses) {
    }

    private SpecResponseSchemas(Path directory) {
        this.directory = directory;
    }

    /** Loads the OpenAPI files from {@code shared/matrix-spec} beside the repository. */
    public static SpecResponseSchemas load() {
        SpecResponseSchemas schemas = new SpecResponseSchemas(findSpecDirectory());
        schemas.readOperations();
        return schemas;
    }

    private static Path findSpecDirectory() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            Path candidate = dir.resolve("shared/matrix-spec/data/api/client-server");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
            Path sibling = dir.resolve("../shared/matrix-spec/data/api/client-server").normalize();
            if (Files.isDirectory(sibling)) {
                return sibling;
            }
            dir = dir.getParent();
        }
        throw new IllegalStateException("the Matrix spec is not in shared/matrix-spec above " + Path.of("").toAbsolutePath());
    }

    private void readOperations() {
        try (Stream<Path> yamlFiles = Files.list(directory)) {
            for (Path file : yamlFiles.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                JsonNode api = file(file);
                String basePath = api.path("servers").path(0).path("variables").path("basePath").path("default").asText("");
                Iterator<Map.Entry<String, JsonNode>> paths = api.path("paths").fields();
                while (paths.hasNext()) {
                    Map.Entry<String, JsonNode> path = paths.next();
                    Iterator<Map.Entry<String, JsonNode>> methods = path.getValue().fields();
                    while (methods.hasNext()) {
                        Map.Entry<String, JsonNode> method = methods.next();
                        if (method.getValue().has("responses")) {
                            operations.add(new Operation(method.getKey().toUpperCase(Locale.ROOT),
                                    (basePath + path.getKey()).substring(1).split("/", -1), file,
                                    method.getValue().get("responses")));
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Checks a response body against the spec; fails the test with the schema's complaints. */
    public void assertValid(String method, String path, int status, String body) {
        JsonNode json;
        try {
            json = JSON.readTree(body);
        } catch (IOException e) {
            fail(method + " " + path + " " + status + ": body is not JSON: " + body);
            return;
        }
        String errcode = json.path("errcode").asText("");
        // Any endpoint that takes a token may refuse it this way ("Using access tokens"), even where
        // the endpoint's own 401 is user-interactive authentication.
        boolean tokenError = status == 401 && (errcode.equals("M_MISSING_TOKEN") || errcode.equals("M_UNKNOWN_TOKEN"));
        JsonSchema schema = tokenError ? schemaFor("GET", "/_matrix/client/v3/no-such-endpoint-in-the-spec", 401)
                : schemaFor(method, path, status);
        Set<ValidationMessage> problems = schema.validate(json);
        assertTrue(problems.isEmpty(), method + " " + path + " " + status + " " + body + " breaks the spec: " + problems);
    }

    /** Synchronized: tests send from several threads, and the caches behind it are plain maps. */
    public synchronized JsonSchema schemaFor(String method, String path, int status) {
        String key = method + " " + path + " " + status;
        return compiled.computeIfAbsent(key, k -> FACTORY.getSchema(resolvedSchema(method, path, status)));
    }

    /** Checks an error body against the spec's standard error schema (rate-limit schema for 429). */
    public void assertStandardError(int status, String body) {
        assertValid("GET", "/_matrix/client/v3/no-such-endpoint-in-the-spec", status, body);
    }

    private JsonNode resolvedSchema(String method, String rawPath, int status) {
        String path = rawPath.replaceFirst("^/_matrix/client/r0/", "/_matrix/client/v3/");
        int query = path.indexOf('?');
        if (query >= 0) {
            path = path.substring(0, query);
        }
        String[] segments = path.substring(1).split("/", -1);
        Operation operation = operations.stream()
                .filter(op -> op.method.equals(method) && matches(op.segments, segments))
                .findFirst()
                .orElse(null);
        if (operation == null && status < 400) {
            throw new AssertionError("the spec has no " + method + " " + rawPath);
        }
        if (operation != null) {
            JsonNode schema = operation.responses.path(Integer.toString(status))
                    .path("content").path("application/json").path("schema");
            if (!schema.isMissingNode()) {
                return inline(schema, operation.file, 0);
            }
        }
        if (status < 400) {
            throw new AssertionError("the spec gives no JSON body for " + method + " " + rawPath + " " + status);
        }
        String standard = status == 429 ? "definitions/errors/rate_limited.yaml" : "definitions/errors/error.yaml";
        Path file = directory.resolve(standard);
        return inline(file(file), file, 0);
    }

    private static boolean matches(String[] template, String[] segments) {
        if (template.length != segments.length) {
            return false;
        }
        for (int i = 0; i < template.length; i++) {
            boolean parameter = template[i].startsWith("{") && template[i].endsWith("}");
            if (!parameter && !template[i].equals(segments[i])) {
                return false;
            }
        }
        return true;
    }

    /** A copy of the node with every $ref replaced by what it points to. */
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
                String pointer = hash < 0 ? "" : target.substring(hash + 1);
                Path targetFile = filePart.isEmpty() ? file : file.getParent().resolve(filePart).normalize();
                JsonNode resolved = file(targetFile).at(pointer);
                if (resolved.isMissingNode()) {
                    throw new AssertionError("unresolvable $ref " + target + " in " + file);
                }
                JsonNode inlined = inline(resolved, targetFile, depth + 1);
                if (node.size() > 1 && inlined.isObject()) {
                    // Sibling keywords beside $ref apply too (JSON Schema 2020-12).
                    ObjectNode merged = ((ObjectNode) inlined).deepCopy();
                    node.fields().forEachRemaining(field -> {
                        if (!field.getKey().equals("$ref")) {
                            merged.set(field.getKey(), inline(field.getValue(), file, depth + 1));
                        }
                    });
                    return merged;
                }
                return inlined;
            }
            ObjectNode copy = JSON.createObjectNode();
            node.fields().forEachRemaining(field -> copy.set(field.getKey(), inline(field.getValue(), file, depth)));
            return copy;
        }
        if (node.isArray()) {
            var copy = JSON.createArrayNode();
            node.forEach(item -> copy.add(inline(item, file, depth)));
            return copy;
        }
        return node;
    }

    private JsonNode file(Path file) {
        return files.computeIfAbsent(file, f -> {
            try {
                return YAML.readTree(f.toFile());
            } catch (IOException e) {
                throw new UncheckedIOException("reading " + f, e);
            }
        });
    }
}
