package dev.hyphae.transport.tor;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * The tor executable carried on the classpath (Maven Central's {@code org.briarproject:tor-linux},
 * one binary per CPU architecture at {@code <arch>/tor}): the fallback when the system has no tor.
 * It is unpacked into the node's tor folder, and unpacked again whenever the copy there differs
 * from the carried one, so an upgrade or a damaged copy never runs.
 */
public final class BundledTor {
    private final ClassLoader loader;
    private final String architecture;

    public BundledTor(ClassLoader loader, String osName, String osArch) {
        this.loader = loader;
        this.architecture = osName.toLowerCase(Locale.ROOT).startsWith("linux") ? folderFor(osArch) : null;
    }

    /** The binary carried for this JVM's system, if the tor-linux artifact is on the classpath. */
    public static BundledTor forThisSystem() {
        return new BundledTor(BundledTor.class.getClassLoader(), System.getProperty("os.name", ""),
                System.getProperty("os.arch", ""));
    }

    private static String folderFor(String osArch) {
        return switch (osArch.toLowerCase(Locale.ROOT)) {
            case "amd64", "x86_64" -> "x86_64";
            case "aarch64", "arm64" -> "aarch64";
            case "arm", "armv7l", "armhf" -> "armhf";
            default -> null;
        };
    }

    private Optional<String> resource() {
        if (architecture == null) {
            return Optional.empty();
        }
        String name = architecture + "/tor";
        return loader.getResource(name) == null ? Optional.empty() : Optional.of(name);
    }

    /** Whether a tor binary for this system is carried. */
    public boolean available() {
        return resource().isPresent();
    }

    /**
     * Unpacks the carried binary to {@code folder/tor} (mode 0700) unless an identical copy is
     * already there, and returns its path; empty when none is carried for this system.
     */
    public Optional<Path> unpack(Path folder) {
        Optional<String> resource = resource();
        if (resource.isEmpty()) {
            return Optional.empty();
        }
        try {
            byte[] carried = read(resource.get());
            Path target = folder.resolve("tor");
            if (Files.isRegularFile(target) && Arrays.equals(sha256(carried), sha256(Files.readAllBytes(target)))) {
                return Optional.of(target);
            }
            Files.createDirectories(folder);
            Path partial = Files.createTempFile(folder, "tor", ".partial");
            try {
                Files.write(partial, carried);
                Files.setPosixFilePermissions(partial, PosixFilePermissions.fromString("rwx------"));
                Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(partial);
            }
            return Optional.of(target);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unpack the carried tor into " + folder + ": " + e.getMessage(), e);
        }
    }

    private byte[] read(String resource) throws IOException {
        try (InputStream in = loader.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("resource " + resource + " vanished");
            }
            return in.readAllBytes();
        }
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java platform", e);
        }
    }
}
