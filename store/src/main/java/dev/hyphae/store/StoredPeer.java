package dev.hyphae.store;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the node knows of one libp2p peer, as kept between runs. The store keeps the bytes as given;
 * verifying keys and signed records is the transport's work.
 *
 * @param peerId the peer ID in its text form
 * @param publicKey the peer's public key, protobuf-encoded, when known
 * @param protocols the protocol IDs the peer said it speaks
 * @param addresses its addresses in text form, in the order learned
 * @param signedPeerRecord the signed envelope of its latest verified peer record, when it sent one
 * @param lastSeenTs when the peer was last heard from, in milliseconds since the epoch
 */
public record StoredPeer(String peerId, Optional<byte[]> publicKey, List<String> protocols, List<Address> addresses,
                         Optional<byte[]> signedPeerRecord, long lastSeenTs) {

    /** An address and the moment, in milliseconds since the epoch, after which it is not worth dialling. */
    public record Address(String multiaddr, long expiresTs) {
        public Address {
            if (multiaddr == null || multiaddr.isEmpty()) {
                throw new IllegalArgumentException("an address must not be empty");
            }
        }
    }

    public StoredPeer {
        if (peerId == null || peerId.isEmpty()) {
            throw new IllegalArgumentException("a peer ID must not be empty");
        }
        publicKey = Objects.requireNonNull(publicKey, "publicKey").map(byte[]::clone);
        signedPeerRecord = Objects.requireNonNull(signedPeerRecord, "signedPeerRecord").map(byte[]::clone);
        protocols = List.copyOf(protocols);
        addresses = List.copyOf(addresses);
        for (String protocol : protocols) {
            // Protocol IDs end at a newline in multistream-select, so none holds one; the column relies on it.
            if (protocol.isEmpty() || protocol.indexOf('\n') >= 0) {
                throw new IllegalArgumentException("bad protocol ID: " + protocol);
            }
        }
        if (addresses.stream().map(Address::multiaddr).distinct().count() != addresses.size()) {
            throw new IllegalArgumentException("an address is listed twice for " + peerId);
        }
    }

    @Override
    public Optional<byte[]> publicKey() {
        return publicKey.map(byte[]::clone);
    }

    @Override
    public Optional<byte[]> signedPeerRecord() {
        return signedPeerRecord.map(byte[]::clone);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StoredPeer other && peerId.equals(other.peerId) && sameBytes(publicKey, other.publicKey)
            && protocols.equals(other.protocols) && addresses.equals(other.addresses)
            && sameBytes(signedPeerRecord, other.signedPeerRecord) && lastSeenTs == other.lastSeenTs;
    }

    @Override
    public int hashCode() {
        return Objects.hash(peerId, protocols, addresses, lastSeenTs);
    }

    private static boolean sameBytes(Optional<byte[]> a, Optional<byte[]> b) {
        return a.isPresent() == b.isPresent() && (a.isEmpty() || Arrays.equals(a.get(), b.get()));
    }
}
