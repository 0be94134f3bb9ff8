package dev.hyphae.node.sync;

import dev.hyphae.node.client.ServiceErrors;
import dev.hyphae.node.filter.Filter;
import dev.hyphae.node.filter.FilterService;
import dev.hyphae.node.http.MatrixException;
import dev.hyphae.node.http.MatrixRequest;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The parameters of one {@code GET /sync}.
 *
 * @param userId        the syncing user
 * @param since         where the previous sync ended; empty for an initial sync
 * @param timeoutMs     how long to wait for something new when there is nothing yet
 * @param useStateAfter whether state goes in {@code state_after} (up to the end of the timeline)
 * @param setPresence   the {@code set_presence} parameter: {@code online}, {@code offline} or
 *                      {@code unavailable} ({@code online} when absent)
 */
public record SyncRequest(String userId, Optional<SyncToken> since, long timeoutMs, boolean fullState,
        Filter filter, boolean useStateAfter, String setPresence) {
    /** The values {@code set_presence} may take. */
    public static final Set<String> PRESENCE_STATES = Set.of("online", "offline", "unavailable");

    /** The longest wait this server grants, whatever timeout the client asks for. */
    static final long MAX_TIMEOUT_MS = 5 * 60 * 1000;

    public SyncRequest {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(since, "since");
        Objects.requireNonNull(filter, "filter");
        Objects.requireNonNull(setPresence, "setPresence");
        if (!PRESENCE_STATES.contains(setPresence)) {
            throw new IllegalArgumentException("set_presence must be online, offline or unavailable");
        }
        if (timeoutMs < 0) {
            throw new IllegalArgumentException("timeout must not be negative");
        }
    }

    public SyncRequest(String userId, Optional<SyncToken> since, long timeoutMs, boolean fullState, Filter filter,
            boolean useStateAfter) {
        this(userId, since, timeoutMs, fullState, filter, useStateAfter, "online");
    }

    /**
     * Reads the query parameters.
     *
     * @throws MatrixException M_INVALID_PARAM for a bad token, timeout or boolean, the filter
     *                         service's errors for a bad or unknown filter
     */
    static SyncRequest from(MatrixRequest request, FilterService filters) {
        var user = request.requester().userId();
        Optional<SyncToken> since = request.queryParameter("since").filter(s -> !s.isEmpty()).map(SyncToken::parse);
        long timeout = request.queryParameter("timeout").map(SyncRequest::timeout).orElse(0L);
        boolean fullState = bool(request, "full_state");
        boolean useStateAfter = bool(request, "use_state_after") || bool(request, "org.matrix.msc4222.use_state_after");
        String setPresence = request.queryParameter("set_presence").orElse("online");
        if (!PRESENCE_STATES.contains(setPresence)) {
            throw MatrixException.invalidParam("set_presence must be online, offline or unavailable");
        }
        String filterParameter = request.queryParameter("filter").filter(s -> !s.isEmpty()).orElse(null);
        Filter filter = ServiceErrors.call(() -> filters.resolve(user, filterParameter));
        return new SyncRequest(user.toString(), since, timeout, fullState, filter, useStateAfter, setPresence);
    }

    /** The position each stream starts after: the token's, or zero for an initial sync. */
    SyncToken from() {
        return since.orElse(SyncToken.ZERO);
    }

    /** Whether rooms get their whole state rather than what changed since the token. */
    boolean wantsFullState() {
        return since.isEmpty() || fullState;
    }

    private static long timeout(String value) {
        try {
            long timeout = Long.parseLong(value);
            if (timeout < 0) {
                throw MatrixException.invalidParam("timeout must not be negative");
            }
            return Math.min(timeout, MAX_TIMEOUT_MS);
        } catch (NumberFormatException e) {
            throw MatrixException.invalidParam("timeout must be a number of milliseconds");
        }
    }

    private static boolean bool(MatrixRequest request, String name) {
        Optional<String> value = request.queryParameter(name);
        if (value.isEmpty() || value.get().equals("false")) {
            return false;
        }
        if (value.get().equals("true")) {
            return true;
        }
        throw MatrixException.invalidParam(name + " must be true or false");
    }
}
