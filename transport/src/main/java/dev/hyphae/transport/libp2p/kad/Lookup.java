package dev.hyphae.transport.libp2p.kad;

import dev.hyphae.transport.libp2p.peer.PeerId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * The iterative lookup of the kad-dht spec ("Peer routing"): starting from the seeds, query the
 * nearest not yet queried candidates, at most {@code alpha} at a time, adding the closer peers
 * each answer names, until the {@code k} nearest candidates still standing have all answered, or
 * nothing is left to ask, or {@code stop} says the caller has what it needs. Failed peers are
 * dropped from the candidates. Completes with the peers that answered, nearest first, at most k.
 * One instance per lookup.
 */
final class Lookup {

    private enum State { WAITING, QUERYING, ANSWERED, FAILED }

    private static final class Candidate {
        final KadPeer peer;
        State state = State.WAITING;

        Candidate(KadPeer peer) {
            this.peer = peer;
        }
    }

    private final PeerId self;
    private final int k;
    private final int alpha;
    private final Function<KadPeer, CompletableFuture<List<KadPeer>>> query;
    private final BooleanSupplier stop;
    private final TreeMap<KadId, Candidate> candidates;
    private final Map<PeerId, KadId> known = new HashMap<>();
    private final CompletableFuture<List<KadPeer>> result = new CompletableFuture<>();
    private int inFlight;

    /**
     * @param query asks one peer and completes with the closer peers it names
     * @param stop checked after every answer; true ends the lookup early
     */
    Lookup(KadId target, PeerId self, int k, int alpha, Function<KadPeer, CompletableFuture<List<KadPeer>>> query,
           BooleanSupplier stop) {
        this.self = self;
        this.k = k;
        this.alpha = alpha;
        this.query = query;
        this.stop = stop;
        Comparator<KadId> order = KadId.byDistanceTo(target);
        this.candidates = new TreeMap<>(order);
    }

    CompletableFuture<List<KadPeer>> run(List<KadPeer> seeds) {
        synchronized (this) {
            seeds.forEach(this::offer);
        }
        advance();
        return result;
    }

    /** Ends the lookup now with what it has (on the caller's timeout). */
    void finishNow() {
        List<KadPeer> answered;
        synchronized (this) {
            answered = answered();
        }
        result.complete(answered);
    }

    private void offer(KadPeer peer) {
        if (peer.id().equals(self) || known.containsKey(peer.id())) {
            return;
        }
        KadId id = peer.kadId();
        known.put(peer.id(), id);
        candidates.put(id, new Candidate(peer));
    }

    private void advance() {
        List<Candidate> toQuery = new ArrayList<>();
        List<KadPeer> finished = null;
        synchronized (this) {
            if (result.isDone()) {
                return;
            }
            if (stop.getAsBoolean()) {
                finished = answered();
            } else {
                int seen = 0;
                boolean allAnswered = true;
                for (Candidate c : candidates.values()) {
                    if (c.state == State.FAILED) {
                        continue;
                    }
                    if (seen++ >= k) {
                        break;
                    }
                    if (c.state != State.ANSWERED) {
                        allAnswered = false;
                    }
                    if (c.state == State.WAITING && inFlight < alpha) {
                        c.state = State.QUERYING;
                        inFlight++;
                        toQuery.add(c);
                    }
                }
                if (allAnswered || (toQuery.isEmpty() && inFlight == 0)) {
                    finished = answered();
                }
            }
        }
        if (finished != null) {
            result.complete(finished);
            return;
        }
        for (Candidate c : toQuery) {
            CompletableFuture<List<KadPeer>> answer;
            try {
                answer = query.apply(c.peer);
            } catch (RuntimeException e) {
                answer = CompletableFuture.failedFuture(e);
            }
            answer.whenComplete((closer, error) -> {
                synchronized (this) {
                    inFlight--;
                    if (error == null) {
                        c.state = State.ANSWERED;
                        closer.forEach(this::offer);
                    } else {
                        c.state = State.FAILED;
                    }
                }
                advance();
            });
        }
    }

    private List<KadPeer> answered() {
        List<KadPeer> list = new ArrayList<>();
        for (Candidate c : candidates.values()) {
            if (c.state == State.ANSWERED && list.size() < k) {
                list.add(c.peer);
            }
        }
        return list;
    }
}
