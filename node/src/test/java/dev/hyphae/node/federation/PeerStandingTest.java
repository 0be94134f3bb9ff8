package dev.hyphae.node.federation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyphae.node.http.RateLimit;
import org.junit.jupiter.api.Test;

class PeerStandingTest {
    private static final RateLimit DEFAULT = new RateLimit(50, 200);
    private final PeerStanding standing = new PeerStanding();

    @Test
    void aPeerIsInGoodStandingOnlyAfterATransactionWithAnAcceptedPdu() {
        assertFalse(standing.inGoodStanding("peer"));
        assertEquals(DEFAULT, standing.limitOf("peer", DEFAULT));
        standing.transactionProcessed("peer", 3, 1);
        assertTrue(standing.inGoodStanding("peer"));
        assertEquals(PeerStanding.ROOM_PEER_LIMIT, standing.limitOf("peer", DEFAULT));
        assertEquals(DEFAULT, standing.limitOf("other", DEFAULT));
    }

    @Test
    void aTransactionWhosePdusAreAllRefusedTakesTheStandingAway() {
        standing.transactionProcessed("peer", 2, 2);
        standing.transactionProcessed("peer", 5, 0);
        assertFalse(standing.inGoodStanding("peer"));
        assertEquals(DEFAULT, standing.limitOf("peer", DEFAULT));
    }

    @Test
    void aTransactionWithoutPdusLeavesTheStandingAsItIs() {
        standing.transactionProcessed("peer", 0, 0);
        assertFalse(standing.inGoodStanding("peer"));
        standing.transactionProcessed("peer", 1, 1);
        standing.transactionProcessed("peer", 0, 0);
        assertTrue(standing.inGoodStanding("peer"));
    }

    @Test
    void aLimitAlreadyAboveTheRaisedOneOrUnlimitedIsKept() {
        standing.transactionProcessed("peer", 1, 1);
        RateLimit generous = new RateLimit(1000, 5000);
        assertEquals(generous, standing.limitOf("peer", generous));
        assertEquals(RateLimit.unlimited(), standing.limitOf("peer", RateLimit.unlimited()));
    }

    @Test
    void theLeastRecentlyConfirmedPeerIsForgottenBeyondTheBound() {
        for (int i = 0; i <= PeerStanding.MAX_PEERS; i++) {
            standing.transactionProcessed("peer" + i, 1, 1);
        }
        assertFalse(standing.inGoodStanding("peer0"));
        assertTrue(standing.inGoodStanding("peer1"));
        assertTrue(standing.inGoodStanding("peer" + PeerStanding.MAX_PEERS));
    }

    @Test
    void moreAcceptedThanReceivedIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> standing.transactionProcessed("peer", 1, 2));
    }
}
