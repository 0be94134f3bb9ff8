package dev.hyphae.node.event;

import dev.hyphae.node.signing.VerifyKey;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A bounded memory of event signatures that have verified, so that an event seen again (in
 * {@code /state}, {@code /send_join} responses, backfill, auth chains) costs no second Ed25519
 * verification. An entry names the signed bytes by their SHA-256, the signing server, the key (ID
 * and public key) and the signature itself: the signature is not covered by the event ID, and the
 * signed bytes, not a possibly untrusted event ID, decide what was signed. Only successes are
 * remembered. Least recently used entries go first. Thread-safe.
 */
public final class VerifiedSignatures {
    private record Entry(byte[] signedHash, String server, VerifyKey key, String signature) {
        @Override
        public boolean equals(Object other) {
            return other instanceof Entry entry && Arrays.equals(entry.signedHash, signedHash)
                    && entry.server.equals(server) && entry.key.equals(key) && entry.signature.equals(signature);
        }

        @Override
        public int hashCode() {
            return ((Arrays.hashCode(signedHash) * 31 + server.hashCode()) * 31 + key.hashCode()) * 31
                    + signature.hashCode();
        }
    }

    private final int capacity;
    private final Map<Entry, Boolean> entries;

    /** @param capacity how many signatures to remember; 0 remembers none */
    public VerifiedSignatures(int capacity) {
        if (capacity < 0) {
            throw new IllegalArgumentException("capacity must not be negative: " + capacity);
        }
        this.capacity = capacity;
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Entry, Boolean> eldest) {
                return size() > VerifiedSignatures.this.capacity;
            }
        };
    }

    /** Remembers nothing: every signature is verified each time. */
    public static VerifiedSignatures none() {
        return new VerifiedSignatures(0);
    }

    boolean enabled() {
        return capacity > 0;
    }

    /** True when this exact signature of these signed bytes by this server's key has verified before. */
    boolean contains(byte[] signedHash, String server, VerifyKey key, String signature) {
        if (capacity == 0) {
            return false;
        }
        synchronized (entries) {
            return entries.get(new Entry(signedHash, server, key, signature)) != null;
        }
    }

    /** Records a signature that has just verified. */
    void add(byte[] signedHash, String server, VerifyKey key, String signature) {
        if (capacity == 0) {
            return;
        }
        synchronized (entries) {
            entries.put(new Entry(signedHash.clone(), server, key, signature), Boolean.TRUE);
        }
    }

    /** How many signatures are remembered now. */
    public int size() {
        synchronized (entries) {
            return entries.size();
        }
    }
}
