package dev.hyphae.node.federation;

import dev.hyphae.node.http.RateLimit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The remote peers in good standing: their last transaction carrying PDUs had at least one
 * accepted, so they share a room with this node and send valid events. Such a peer gets the
 * larger rate limit {@link #ROOM_PEER_LIMIT} instead of the default per-peer limit, which caps a
 * single origin's transactions (50 PDUs each) well below what a busy room needs. A transaction
 * whose PDUs are all refused takes the standing away again, so a peer cannot keep it while
 * sending junk; requests without PDUs leave it as it is. Keyed by what the rate limiter keys on
 * (the libp2p peer ID, the carrier's remote address otherwise). Safe for concurrent use.
 */
public final class PeerStanding {
    /**
     * The limit of a peer in good standing: 500 requests/s (burst 1,000), 25,000 PDUs/s in full
     * transactions. Still bounded, as the work behind a request is.
     */
    public static final RateLimit ROOM_PEER_LIMIT = new RateLimit(500, 1000);
    /** The most peers remembered; the least recently confirmed is forgotten first. */
    static final int MAX_PEERS = 4096;

    private final Map<String, Boolean> good = new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > MAX_PEERS;
        }
    };

    /**
     * A transaction of {@code peer} was processed: {@code pdus} PDUs, {@code accepted} of them
     * accepted. With no PDUs the standing does not change.
     */
    public void transactionProcessed(String peer, int pdus, int accepted) {
        Objects.requireNonNull(peer, "peer");
        if (pdus < 0 || accepted < 0 || accepted > pdus) {
            throw new IllegalArgumentException("accepted must be between 0 and pdus, got " + accepted + " of " + pdus);
        }
        if (pdus == 0) {
            return;
        }
        synchronized (good) {
            if (accepted > 0) {
                good.put(peer, Boolean.TRUE);
            } else {
                good.remove(peer);
            }
        }
    }

    public boolean inGoodStanding(String peer) {
        synchronized (good) {
            return good.containsKey(peer);
        }
    }

    /** The rate limit of {@code peer}: {@link #ROOM_PEER_LIMIT} in good standing, else {@code otherwise}. */
    public RateLimit limitOf(String peer, RateLimit otherwise) {
        RateLimit raised = ROOM_PEER_LIMIT;
        if (otherwise.isUnlimited() || otherwise.perSecond() >= raised.perSecond() || !inGoodStanding(peer)) {
            return otherwise;
        }
        return raised;
    }
}
