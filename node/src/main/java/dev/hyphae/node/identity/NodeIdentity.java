package dev.hyphae.node.identity;

import dev.hyphae.node.signing.SigningKey;
import dev.hyphae.transport.libp2p.peer.PublicKey;
import dev.hyphae.transport.router.OnionAddress;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Objects;

/**
 * The node's one Ed25519 identity key and the names derived from it: the Matrix server name
 * (the Tor v3 onion address of the key), the libp2p peer ID, the Matrix signing key and its key
 * ID, and the expanded secret key Tor wants for the onion service.
 *
 * <p>The 32-byte seed lives in {@value #SEED_FILE} in the data directory, mode 0600, made at first
 * start and never overwritten.
 */
public final class NodeIdentity {
    public static final String SEED_FILE = "identity.ed25519";
    private static final int SEED_LENGTH = 32;

    private final byte[] seed;
    private final byte[] publicKey;
    private final String onionServiceId;
    private final SigningKey signingKey;

    private NodeIdentity(byte[] seed) {
        this.seed = seed.clone();
        this.publicKey = SigningKey.fromSeed("ed25519:x", seed).publicKey();
        this.onionServiceId = onionServiceId(publicKey);
        // The key ID is stable for the key and short: the first 8 characters of the onion service ID.
        this.signingKey = SigningKey.fromSeed("ed25519:" + onionServiceId.substring(0, 8), seed);
    }

    /** The identity of this seed (for tests and tools; a node uses {@link #loadOrCreate}). */
    public static NodeIdentity fromSeed(byte[] seed) {
        if (seed == null || seed.length != SEED_LENGTH) {
            throw new IllegalArgumentException("identity seed must be 32 bytes");
        }
        return new NodeIdentity(seed);
    }

    /**
     * Loads the identity from {@code dataDir}, or on first start makes a new seed and stores it
     * there with mode 0600. The file is written under a temporary name and then linked into
     * place, so a crash never leaves a partial seed and an existing seed is never replaced.
     *
     * @throws UncheckedIOException when the directory cannot be used
     * @throws IllegalStateException when the seed file exists but is not 32 bytes
     */
    public static NodeIdentity loadOrCreate(Path dataDir, SecureRandom random) {
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(random, "random");
        Path file = dataDir.resolve(SEED_FILE);
        try {
            Files.createDirectories(dataDir);
            if (!Files.exists(file)) {
                byte[] seed = new byte[SEED_LENGTH];
                random.nextBytes(seed);
                createOnce(file, seed);
            }
            return new NodeIdentity(read(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load or create the node identity in " + dataDir, e);
        }
    }

    private static void createOnce(Path file, byte[] seed) throws IOException {
        Path temp = file.resolveSibling(SEED_FILE + ".tmp-" + System.nanoTime());
        try {
            try (FileChannel channel = FileChannel.open(temp, new java.util.HashSet<>(java.util.List.of(
                    StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)), ownerOnly())) {
                channel.write(ByteBuffer.wrap(seed));
                channel.force(true);
            }
            try {
                // A hard link fails if the target exists, unlike a rename, which would replace it.
                Files.createLink(file, temp);
            } catch (FileAlreadyExistsException e) {
                // Another process made the identity first; use that one.
            } catch (UnsupportedOperationException e) {
                Files.move(temp, file);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private static FileAttribute<?>[] ownerOnly() {
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            return new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))};
        }
        return new FileAttribute<?>[0];
    }

    private static byte[] read(Path file) throws IOException {
        byte[] seed = Files.readAllBytes(file);
        if (seed.length != SEED_LENGTH) {
            throw new IllegalStateException("identity seed file " + file + " holds " + seed.length + " bytes, not 32");
        }
        return seed;
    }

    /** The Matrix server name: the onion address, {@code <56 base32 characters>.onion}. */
    public String serverName() {
        return onionServiceId + ".onion";
    }

    /** The onion service ID (the server name without {@code .onion}), as Tor reports it. */
    public String onionServiceId() {
        return onionServiceId;
    }

    /** The libp2p peer ID in its base58btc string form ({@code 12D3KooW...}). */
    public String peerId() {
        return PublicKey.ofRaw(publicKey).toPeerId().toBase58();
    }

    /** The server signing key; its key ID is {@code ed25519:} and 8 characters of the onion service ID. */
    public SigningKey signingKey() {
        return signingKey;
    }

    public String keyId() {
        return signingKey.keyId();
    }

    /** A copy of the 32-byte Ed25519 public key. */
    public byte[] publicKey() {
        return publicKey.clone();
    }

    /** A copy of the 32-byte seed, for the transport's libp2p and Noise keys. */
    public byte[] seed() {
        return seed.clone();
    }

    /**
     * The 64-byte expanded secret key Tor takes in {@code ADD_ONION ED25519-V3:}: SHA-512 of the
     * seed with the RFC 8032 clamping of the first half.
     */
    public byte[] torExpandedSecretKey() {
        try {
            byte[] h = MessageDigest.getInstance("SHA-512").digest(seed);
            h[0] &= (byte) 248;
            h[31] &= 127;
            h[31] |= 64;
            return h;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-512 missing from the Java runtime", e);
        }
    }

    /** The onion service ID of an Ed25519 public key: base32(pub || checksum[0..2] || version). */
    static String onionServiceId(byte[] publicKey) {
        return OnionAddress.of(publicKey).serviceId();
    }

    @Override
    public String toString() {
        return "NodeIdentity[" + serverName() + "]";
    }
}
