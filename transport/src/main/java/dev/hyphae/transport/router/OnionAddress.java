package dev.hyphae.transport.router;

import dev.hyphae.transport.libp2p.peer.PeerId;
import dev.hyphae.transport.libp2p.peer.PublicKey;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import org.bouncycastle.crypto.digests.SHA3Digest;

/**
 * A Tor v3 onion address, {@code <56 base32>.onion}, and the Ed25519 key it encodes (Tor's
 * rend-spec-v3, "Encoding onion addresses": base32(PUBKEY | CHECKSUM | VERSION) with
 * CHECKSUM = SHA3-256(".onion checksum" | PUBKEY | VERSION)[:2] and VERSION = 3). A Hyphae server
 * name is the onion address of the node's identity key, and the node's libp2p peer ID is made
 * from the same key, so the three convert into each other without any lookup. Immutable.
 */
public final class OnionAddress {
    public static final String SUFFIX = ".onion";
    /** Length of the service ID, the address without {@value #SUFFIX}. */
    public static final int SERVICE_ID_LENGTH = 56;
    private static final byte VERSION = 3;

    private final byte[] publicKey;
    private final String serviceId;

    private OnionAddress(byte[] publicKey, String serviceId) {
        this.publicKey = publicKey;
        this.serviceId = serviceId;
    }

    /** The onion address of a raw 32-byte Ed25519 public key. */
    public static OnionAddress of(byte[] ed25519PublicKey) {
        Objects.requireNonNull(ed25519PublicKey, "ed25519PublicKey");
        if (ed25519PublicKey.length != PublicKey.LENGTH) {
            throw new IllegalArgumentException("an Ed25519 public key is 32 bytes, got " + ed25519PublicKey.length);
        }
        byte[] key = ed25519PublicKey.clone();
        return new OnionAddress(key, serviceIdOf(key));
    }

    public static OnionAddress of(PublicKey key) {
        return of(key.raw());
    }

    /**
     * The onion address of the key a peer ID inlines.
     *
     * @throws IllegalArgumentException when the peer ID does not inline an Ed25519 key
     */
    public static OnionAddress of(PeerId peer) {
        return of(peer.publicKey().orElseThrow(() -> new IllegalArgumentException(
            "peer ID " + peer + " does not inline an Ed25519 key, so it has no onion address")));
    }

    /**
     * Reads a server name of onion form.
     *
     * @throws IllegalArgumentException naming what is wrong: not {@code <56 base32>.onion}, a
     *                                  character outside lower-case base32, a bad checksum or a
     *                                  version other than 3
     */
    public static OnionAddress parse(String serverName) {
        if (serverName == null) {
            throw new IllegalArgumentException("no server name");
        }
        if (serverName.length() != SERVICE_ID_LENGTH + SUFFIX.length() || !serverName.endsWith(SUFFIX)) {
            throw new IllegalArgumentException("server name '" + serverName
                + "' is not an onion address (<56 base32 characters>.onion)");
        }
        String serviceId = serverName.substring(0, SERVICE_ID_LENGTH);
        Optional<byte[]> decoded = Base32.decode(serviceId);
        if (decoded.isEmpty() || decoded.get().length != 35) {
            throw new IllegalArgumentException("server name '" + serverName + "' is not lower-case base32");
        }
        byte[] key = Arrays.copyOf(decoded.get(), PublicKey.LENGTH);
        // Re-encoding checks checksum and version, and refuses other spellings of the same bytes.
        if (!serviceIdOf(key).equals(serviceId)) {
            throw new IllegalArgumentException("server name '" + serverName
                + "' has a bad onion checksum or a version other than 3");
        }
        return new OnionAddress(key, serviceId);
    }

    /** {@link #parse} for callers that only ask; empty for any name that is not a valid v3 onion address. */
    public static Optional<OnionAddress> tryParse(String serverName) {
        try {
            return Optional.of(parse(serverName));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** The address, {@code <service ID>.onion}: the Matrix server name. */
    public String serverName() {
        return serviceId + SUFFIX;
    }

    /** The service ID, the address without {@value #SUFFIX}, as Tor's control port writes it. */
    public String serviceId() {
        return serviceId;
    }

    /** A copy of the 32-byte Ed25519 public key. */
    public byte[] publicKey() {
        return publicKey.clone();
    }

    /** The libp2p peer ID of the same key. */
    public PeerId peerId() {
        return PublicKey.ofRaw(publicKey).toPeerId();
    }

    private static String serviceIdOf(byte[] key) {
        SHA3Digest sha3 = new SHA3Digest(256);
        byte[] prefix = ".onion checksum".getBytes(StandardCharsets.US_ASCII);
        sha3.update(prefix, 0, prefix.length);
        sha3.update(key, 0, key.length);
        sha3.update(VERSION);
        byte[] checksum = new byte[32];
        sha3.doFinal(checksum, 0);
        byte[] address = new byte[35];
        System.arraycopy(key, 0, address, 0, 32);
        address[32] = checksum[0];
        address[33] = checksum[1];
        address[34] = VERSION;
        return Base32.encode(address);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof OnionAddress o && o.serviceId.equals(serviceId);
    }

    @Override
    public int hashCode() {
        return serviceId.hashCode();
    }

    @Override
    public String toString() {
        return serverName();
    }
}
