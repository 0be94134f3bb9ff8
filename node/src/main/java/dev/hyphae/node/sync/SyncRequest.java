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
 * @param deviceId      the syncing device (whose to-device inbox and key counts are sent)
 * @param since         where the previous sync ended; empty for an initial sync
 * @param timeoutMs     how long to wait for something new when there is nothing yet
 * @param useStateAfter whether state goes in {@code state_after} (up to the end of the timeline)
 * @param stateSection  the name of a joined room's state section in the answer: {@code state}, or
 *                      for {@code use_state_after} {@code state_after}, or the unstable
 *                      {@code org.matrix.msc4222.state_after} for clients that asked with the
 *                      unstable parameter (matrix-js-sdk reads only that name)
 * @param setPresence   the {@code set_presence} parameter: {@code online}, {@code offline} or
 *                      {@code unavailable} ({@code online} when absent)
 */
public record SyncRequest(String userId, String deviceId, Optional<SyncToken> since, long timeoutMs, boolean fullState,
        Filter filter, boolean useStateAfter, String stateSection, String setPresence) {
    static final String UNSTABLE_STATE_AFTER = "org.matrix.msc4222.state_after";
    /** The values {@code set_presence} may take. */
    public static final Set<String> PRESENCE_STATES = Set.of("online", "offline", "unavailable");

    /** The longest wait this server grants, whatever timeout the client asks for. */
    static final long MAX_TIMEOUT_MS = 5 * 60 * 1000;

    public SyncRequest {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(since, "since");
        Objects.requireNonNull(filter, "filter");
        Objects.requireNonNull(stateSection, "stateSection");
        Objects.requireNonNull(setPresence, "setPresence");
        if (!PRESENCE_STATES.contains(setPresence)) {
            throw new IllegalArgumentException("set_presence must be online, offline or unavailable");
        }
        if (timeoutMs < 0) {
            throw new IllegalArgumentException("timeout must not be negative");
        }
    }

    public SyncRequest(String userId, String deviceId, Optional<SyncToken> since, long timeoutMs, boolean fullState,
            Filter filter, boolean useStateAfter, String stateSection) {
        this(userId, deviceId, since, timeoutMs, fullState, filter, useStateAfter, stateSection, "online");
    }

    /**
     * Reads the query parameters.
     *
     * @throws MatrixException M_INVALID_PARAM for a bad token, timeout or boolean, the filter
     *                         service's errors for a bad or unknown filter
     */
    static SyncRequest from(MatrixRequest request, FilterService filters) {
        var requester = request.requester();
        var user = requester.userId();
        Optional<SyncToken> since = request.queryParameter("since").filter(s -> !s.isEmpty()).map(SyncToken::parse);
        long timeout = request.queryParameter("timeout").map(SyncRequest::timeout).orElse(0L);
        boolean fullState = bool(request, "full_state");
        boolean stable = bool(request, "use_state_after");
        boolean unstable = bool(request, "org.matrix.msc4222.use_state_after");
        boolean useStateAfter = stable || unstable;
        String stateSection = stable ? "state_after" : unstable ? UNSTABLE_STATE_AFTER : "state";
        String setPresence = request.queryParameter("set_presence").orElse("online");
        if (!PRESENCE_STATES.contains(setPresence)) {
            throw MatrixException.invalidParam("set_presence must be online, offline or unavailable");
        }
        String filterParameter = request.queryParameter("filter").filter(s -> !s.isEmpty()).orElse(null);
        Filter filter = ServiceErrors.call(() -> filters.resolve(user, filterParameter));
        return new SyncRequest(user.toString(), requester.deviceId(), since, timeout, fullState, filter, useStateAfter,
                stateSection, setPresence);
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
