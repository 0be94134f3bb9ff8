package dev.hyphae.node.identity;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyphae.node.identifier.ServerName;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeIdentityTest {
    private static final HexFormat HEX = HexFormat.of();
    /** RFC 8032 section 7.1, test 1. */
    private static final byte[] RFC8032_SEED = HEX.parseHex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");

    @Test
    void peerIdOfSeedOneMatchesLibp2p() {
        byte[] seed = new byte[32];
        seed[31] = 1;
        assertEquals("12D3KooWEyoppNCUx8Yx66oV9fJnriXwCcXwDDUA2kj6vnc6iDEp", NodeIdentity.fromSeed(seed).peerId());
    }

    @Test
    void serverNameIsTheOnionAddressOfThePublicKey() {
        NodeIdentity identity = NodeIdentity.fromSeed(RFC8032_SEED);
        assertEquals("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", HEX.formatHex(identity.publicKey()));
        // Computed independently with Python's hashlib.sha3_256 and base64.b32encode.
        assertEquals("25njqamcweflpvkl73j4szahhihoc4xt3ktcgjnpaingr5yhkenl5sid.onion", identity.serverName());
        assertEquals(56, identity.onionServiceId().length());
        ServerName.parse(identity.serverName());
    }

    @Test
    void torExpandedKeyIsTheClampedSha512OfTheSeed() {
        assertEquals("307c83864f2833cb427a2ef1c00a013cfdff2768d980c0a3a520f006904de94f"
                + "9b4f0afe280b746a778684e75442502057b7473a03f08f96f5a38e9287e01f8f",
                HEX.formatHex(NodeIdentity.fromSeed(RFC8032_SEED).torExpandedSecretKey()));
    }

    @Test
    void keyIdIsShortStableAndValid() {
        NodeIdentity identity = NodeIdentity.fromSeed(RFC8032_SEED);
        assertEquals("ed25519:25njqamc", identity.keyId());
        assertEquals(identity.keyId(), identity.signingKey().keyId());
        assertArrayEquals(identity.publicKey(), identity.signingKey().publicKey());
    }

    @Test
    void firstStartCreatesAnOwnerOnlySeedAndLaterStartsReuseIt(@TempDir Path dir) throws Exception {
        Path dataDir = dir.resolve("data");
        NodeIdentity first = NodeIdentity.loadOrCreate(dataDir, new SecureRandom());
        Path seedFile = dataDir.resolve(NodeIdentity.SEED_FILE);
        assertEquals(32, Files.size(seedFile));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(seedFile)));
        NodeIdentity second = NodeIdentity.loadOrCreate(dataDir, new SecureRandom());
        assertEquals(first.serverName(), second.serverName());
        assertArrayEquals(first.seed(), second.seed());
        try (var files = Files.list(dataDir)) {
            assertEquals(1, files.count(), "no temporary files are left behind");
        }
    }

    @Test
    void differentNodesGetDifferentNames(@TempDir Path dir) {
        NodeIdentity a = NodeIdentity.loadOrCreate(dir.resolve("a"), new SecureRandom());
        NodeIdentity b = NodeIdentity.loadOrCreate(dir.resolve("b"), new SecureRandom());
        assertNotEquals(a.serverName(), b.serverName());
        assertTrue(a.peerId().startsWith("12D3KooW"));
    }

    @Test
    void truncatedSeedFileIsRefusedNotReplaced(@TempDir Path dir) throws Exception {
        Files.write(dir.resolve(NodeIdentity.SEED_FILE), new byte[5]);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> NodeIdentity.loadOrCreate(dir, new SecureRandom()));
        assertTrue(e.getMessage().contains("5 bytes"), e.getMessage());
        assertEquals(5, Files.size(dir.resolve(NodeIdentity.SEED_FILE)));
    }
}
