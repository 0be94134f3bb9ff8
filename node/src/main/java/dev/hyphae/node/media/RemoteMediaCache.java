package dev.hyphae.node.media;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Objects;
import java.util.Optional;

/**
 * Media of other servers fetched once and kept: the bytes in the node's {@link ContentFiles}
 * (shared with local uploads, so equal content is stored once) and, per
 * {@code mxc://server/mediaId}, a small JSON record of its hash, content type and file name under
 * {@code media/remote/<server>/<mediaId>.json}. The record is written after the content and
 * renamed into place, so a record always points at complete content.
 */
public final class RemoteMediaCache {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ContentFiles files;
    private final Path root;

    /** Records under {@code dataDir/media/remote}, content in {@code files}. */
    public RemoteMediaCache(Path dataDir, ContentFiles files) {
        this.root = Objects.requireNonNull(dataDir, "dataDir").resolve("media").resolve("remote");
        this.files = Objects.requireNonNull(files, "files");
    }

    /**
     * The cached content of {@code mxc://server/mediaId}, if held. The caller has checked that
     * both parts are well-formed (a server name, and a media ID of {@code [A-Za-z0-9_-]}).
     */
    public Optional<MediaContent> get(String server, String mediaId) {
        Path record = recordOf(server, mediaId);
        JsonNode json;
        try {
            json = JSON.readTree(Files.readAllBytes(record));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("reading the record of remote media " + server + "/" + mediaId, e);
        }
        String hash = json.path("sha256").asText();
        return files.get(hash).map(bytes -> new MediaContent(bytes, json.path("content_type").asText(
                ContentHeaders.OCTET_STREAM), json.path("file_name").isTextual()
                ? Optional.of(json.get("file_name").textValue()) : Optional.empty()));
    }

    /** Keeps the content of {@code mxc://server/mediaId}. */
    public void put(String server, String mediaId, MediaContent content) {
        String hash = files.put(content.bytes());
        ObjectNode json = JSON.createObjectNode();
        json.put("sha256", hash);
        json.put("content_type", content.contentType());
        content.fileName().ifPresent(name -> json.put("file_name", name));
        Path record = recordOf(server, mediaId);
        try {
            Path directory = Files.createDirectories(record.getParent());
            Path temporary = Files.createTempFile(directory, mediaId + ".", ".part");
            try {
                Files.write(temporary, JSON.writeValueAsBytes(json));
                Files.move(temporary, record, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("the media directory does not support atomic renames", e);
            } finally {
                Files.deleteIfExists(temporary);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("storing the record of remote media " + server + "/" + mediaId, e);
        }
    }

    private Path recordOf(String server, String mediaId) {
        // Server names may hold ':' (a port) and '[' ']' (IPv6), which some file systems refuse.
        String directory = server.replace(':', '_').replace('[', '_').replace(']', '_');
        if (directory.contains("/") || directory.contains("\\") || directory.startsWith(".")
                || !MediaId.isValid(mediaId)) {
            throw new IllegalArgumentException("not a media location: " + server + "/" + mediaId);
        }
        return root.resolve(directory).resolve(mediaId + ".json");
    }
}
