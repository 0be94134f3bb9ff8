package dev.hyphae.transport.libp2p.kad;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

class KadDhtTest {

    @Test
    void refreshKeysFallIntoTheBucketTheyRefresh() {
        Random random = new Random(8);
        KadId local = KadId.ofPeer(KadTestPeers.peerId(random));
        for (int bucket = 0; bucket <= KadDht.MAX_REFRESHED_BUCKET; bucket++) {
            byte[] key = KadDht.randomKeyInBucket(local, bucket, random);
            assertEquals(bucket, local.commonPrefixLength(KadId.ofKey(key)));
        }
    }
}
