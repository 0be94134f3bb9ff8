package dev.hyphae.node.media;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;

/**
 * Media content in files named by the SHA-256 of their bytes ({@code media/content/ab/abcd...}),
 * so the same content uploaded twice is stored once. A file is written to a temporary name,
 * forced to the disk and then renamed into place, so a file under its final name is always
 * complete, even after a crash.
 */
public final class ContentFiles {
    private final Path root;

    /** Content under {@code dataDir/media/content}. */
    public ContentFiles(Path dataDir) {
        this.root = Objects.requireNonNull(dataDir, "dataDir").resolve("media").resolve("content");
    }

    /** The lower-case hex SHA-256 of the bytes. */
    public static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /**
     * Stores the bytes durably, unless a file with the same hash is already there, and returns
     * their hash.
     */
    public String put(byte[] content) {
        String hash = sha256(content);
        Path target = pathOf(hash);
        if (Files.isRegularFile(target)) {
            return hash;
        }
        try {
            Path directory = Files.createDirectories(target.getParent());
            Path temporary = Files.createTempFile(directory, hash + ".", ".part");
            try {
                try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                    ByteBuffer buffer = ByteBuffer.wrap(content);
                    while (buffer.hasRemaining()) {
                        channel.write(buffer);
                    }
                    channel.force(true);
                }
                moveIntoPlace(temporary, target);
            } finally {
                Files.deleteIfExists(temporary);
            }
            forceDirectory(directory);
            return hash;
        } catch (IOException e) {
            throw new UncheckedIOException("storing media content " + hash, e);
        }
    }

    /** The content with this hash, or empty when no such file exists. */
    public Optional<byte[]> get(String sha256) {
        try {
            return Optional.of(Files.readAllBytes(pathOf(sha256)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("reading media content " + sha256, e);
        }
    }

    /** Whether content with this hash is stored. */
    public boolean contains(String sha256) {
        return Files.isRegularFile(pathOf(sha256));
    }

    private Path pathOf(String sha256) {
        if (sha256 == null || !sha256.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("not a lower-case hex SHA-256: " + sha256);
        }
        return root.resolve(sha256.substring(0, 2)).resolve(sha256);
    }

    private static void moveIntoPlace(Path temporary, Path target) throws IOException {
        try {
            // Replacing is safe: a file with the same name has the same bytes.
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("the media directory does not support atomic renames", e);
        }
    }

    /** Makes the rename itself durable; some platforms cannot open directories, which is tolerated. */
    private static void forceDirectory(Path directory) {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // Windows cannot open a directory as a channel; its renames are durable on their own.
        }
    }
}
