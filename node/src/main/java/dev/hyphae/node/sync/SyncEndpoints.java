package dev.hyphae.node.sync;

import dev.hyphae.node.accountdata.AccountDataService;
import dev.hyphae.node.filter.FilterService;
import dev.hyphae.node.http.Authentication;
import dev.hyphae.node.http.EndpointGroup;
import dev.hyphae.node.http.MatrixException;
import dev.hyphae.node.http.MatrixRequest;
import dev.hyphae.node.http.MatrixResponse;
import dev.hyphae.node.http.Method;
import dev.hyphae.node.http.RouteTable;
import dev.hyphae.node.roomserver.RoomQueries;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * {@code GET /sync}: asks each stream provider for what changed since the token and, when nothing
 * did, waits up to {@code timeout} for the {@link SyncNotifier} to signal a change, holding no
 * thread while it waits. After a wake the sync runs again on {@code executor}.
 */
public final class SyncEndpoints implements EndpointGroup {
    /** The place of the room event stream in every sync token. */
    static final int ROOM_EVENTS_STREAM = 0;

    private final FilterService filters;
    private final SyncNotifier notifier;
    private final Executor executor;
    private final List<StreamProvider> streams;

    /**
     * @param notifier must be registered with the room event notifier and be the account data
     *                 service's listener
     * @param executor runs a sync again after a wake; its owner shuts it down
     * @param more     further streams (to-device, typing, ...), after room events and account
     *                 data; their order fixes their place in the sync token, so new streams go last
     */
    public SyncEndpoints(RoomQueries queries, AccountDataService accountData, FilterService filters,
            SyncNotifier notifier, Executor executor, List<StreamProvider> more) {
        this(queries, accountData, filters, notifier, executor, more, SentMembersMemory.NONE);
    }

    /**
     * @param sentMembers what each device was sent under lazy-loading of members, so that it is
     *                    not sent again
     */
    public SyncEndpoints(RoomQueries queries, AccountDataService accountData, FilterService filters,
            SyncNotifier notifier, Executor executor, List<StreamProvider> more, SentMembersMemory sentMembers) {
        this.filters = Objects.requireNonNull(filters, "filters");
        this.notifier = Objects.requireNonNull(notifier, "notifier");
        this.executor = Objects.requireNonNull(executor, "executor");
        List<StreamProvider> all = new ArrayList<>();
        all.add(new RoomsStreamProvider(queries, sentMembers));
        all.add(new AccountDataStreamProvider(accountData, queries));
        all.addAll(more);
        this.streams = List.copyOf(all);
    }

    public SyncEndpoints(RoomQueries queries, AccountDataService accountData, FilterService filters,
            SyncNotifier notifier, Executor executor) {
        this(queries, accountData, filters, notifier, executor, List.of());
    }

    /**
     * The position of {@code stream} in a sync token a client passes back (to
     * {@code /keys/changes}, for example).
     *
     * @throws MatrixException M_INVALID_PARAM when the token is not one of this server's
     * @throws IllegalArgumentException when the stream is not one of this endpoint's
     */
    public long position(StreamProvider stream, String token) {
        int index = streams.indexOf(stream);
        if (index < 0) {
            throw new IllegalArgumentException("not a stream of this sync endpoint");
        }
        return SyncToken.parse(token).position(index);
    }

    @Override
    public void register(RouteTable routes) {
        routes.addAsync(Method.GET, "/_matrix/client/v3/sync", Authentication.REQUIRED, this::sync);
    }

    /** GET /_matrix/client/v3/sync */
    CompletionStage<MatrixResponse> sync(MatrixRequest request) {
        SyncRequest sync = SyncRequest.from(request, filters);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(sync.timeoutMs());
        return attempt(sync, deadline);
    }

    private CompletableFuture<MatrixResponse> attempt(SyncRequest sync, long deadline) {
        for (StreamProvider stream : streams) {
            stream.beforeSync(sync);
        }
        // Registered before the positions are read: a change after the read still wakes this poll.
        CompletableFuture<Void> wake = notifier.register(sync.userId());
        SyncResponse response;
        SyncToken next;
        try {
            response = new SyncResponse();
            SyncToken from = sync.from();
            long[] to = new long[streams.size()];
            for (int i = 0; i < to.length; i++) {
                to[i] = streams.get(i).latestPosition();
            }
            long[] reached = new long[to.length];
            for (int i = 0; i < to.length; i++) {
                reached[i] = streams.get(i).fill(sync, from.position(i), to[i], response);
            }
            next = SyncToken.of(reached);
        } catch (RuntimeException e) {
            notifier.unregister(sync.userId(), wake);
            throw e;
        }
        long remaining = deadline - System.nanoTime();
        if (!response.isEmpty() || remaining <= 0) {
            notifier.unregister(sync.userId(), wake);
            return CompletableFuture.completedFuture(MatrixResponse.ok(response.toJson(next)));
        }
        return wake.completeOnTimeout(null, remaining, TimeUnit.NANOSECONDS)
                .thenComposeAsync(woken -> {
                    notifier.unregister(sync.userId(), wake);
                    return attempt(sync, deadline);
                }, executor);
    }
}
