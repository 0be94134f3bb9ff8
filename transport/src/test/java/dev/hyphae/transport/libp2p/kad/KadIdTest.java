package dev.hyphae.transport.libp2p.kad;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class KadIdTest {

    @Test
    void idIsTheSha256OfTheKey() throws Exception {
        byte[] key = "/hyphae/x".getBytes(StandardCharsets.UTF_8);
        assertArrayEquals(MessageDigest.getInstance("SHA-256").digest(key), KadId.ofKey(key).toBytes());
        // a known vector: sha256("abc")
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
            HexFormat.of().formatHex(KadId.ofKey("abc".getBytes(StandardCharsets.US_ASCII)).toBytes()));
    }

    @Test
    void distanceIsXorAndSymmetricAndZeroOnlyToItself() {
        KadId a = KadId.ofKey(new byte[] {1});
        KadId b = KadId.ofKey(new byte[] {2});
        byte[] ab = a.distance(b);
        byte[] ha = a.toBytes();
        byte[] hb = b.toBytes();
        for (int i = 0; i < 32; i++) {
            assertEquals((byte) (ha[i] ^ hb[i]), ab[i]);
        }
        assertArrayEquals(ab, b.distance(a));
        assertArrayEquals(new byte[32], a.distance(a));
    }

    @Test
    void commonPrefixLengthCountsSharedLeadingBits() {
        KadId a = KadId.ofKey(new byte[] {1});
        assertEquals(256, a.commonPrefixLength(a));
        Random random = new Random(7);
        for (int i = 0; i < 200; i++) {
            byte[] k = new byte[8];
            random.nextBytes(k);
            KadId b = KadId.ofKey(k);
            byte[] d = a.distance(b);
            int expected = 0;
            for (byte x : d) {
                if (x == 0) {
                    expected += 8;
                } else {
                    expected += Integer.numberOfLeadingZeros(x & 0xff) - 24;
                    break;
                }
            }
            assertEquals(expected, a.commonPrefixLength(b));
        }
    }

    @Test
    void orderingByDistanceMatchesUnsignedComparisonOfXor() {
        KadId target = KadId.ofKey(new byte[] {9});
        Random random = new Random(11);
        List<KadId> ids = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            byte[] k = new byte[8];
            random.nextBytes(k);
            ids.add(KadId.ofKey(k));
        }
        ids.sort(KadId.byDistanceTo(target));
        for (int i = 1; i < ids.size(); i++) {
            assertTrue(new java.math.BigInteger(1, target.distance(ids.get(i - 1)))
                .compareTo(new java.math.BigInteger(1, target.distance(ids.get(i)))) < 0);
        }
    }
}
