package dev.hyphae.node.account;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyphae.node.http.JsonBody;
import dev.hyphae.node.http.MatrixException;
import dev.hyphae.node.identifier.UserId;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * User-interactive authentication (client-server API, "User-Interactive Authentication API"):
 * sessions kept in memory until finished or expired, with the {@code m.login.password},
 * {@code m.login.dummy} and {@code m.login.registration_token} stages.
 *
 * <p>A session belongs to the operation (method and path) that started it. A first request that
 * already carries an {@code auth} dict without a session (matrix-nio's one-shot
 * {@code m.login.dummy}) starts a session and does its stage at once.
 */
public final class UserInteractiveAuth {
    private static final int MAX_SESSIONS = 10_000;

    private final AccountService accounts;
    private final RegistrationTokens registrationTokens;
    private final AccountSettings settings;
    private final SecureRandom random;
    private final Clock clock;
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();

    public UserInteractiveAuth(AccountService accounts, RegistrationTokens registrationTokens, AccountSettings settings,
            SecureRandom random, Clock clock) {
        this.accounts = Objects.requireNonNull(accounts, "accounts");
        this.registrationTokens = Objects.requireNonNull(registrationTokens, "registrationTokens");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.random = Objects.requireNonNull(random, "random");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Runs one step of authentication for an operation.
     *
     * @param operation the operation the session is bound to, e.g. {@code "POST /register"}
     * @param auth      the request's {@code auth} dict, if any
     * @param flows     the flows the endpoint offers
     * @param user      the user who must authenticate (password stages must name them), or
     *                  {@code null} when anyone may (registration)
     * @return the result once a flow is complete
     * @throws AuthRequiredException (401) while no flow is complete, with the stage's error if one
     *                               just failed
     * @throws MatrixException       400 for a malformed auth dict or an unknown session, 403 when the
     *                               session belongs to another operation
     */
    public AuthResult authenticate(String operation, Optional<JsonBody> auth, List<AuthFlow> flows, UserId user) {
        pruneExpired();
        if (auth.isEmpty()) {
            Session session = newSession(operation, flows);
            throw required(session, null, null);
        }
        JsonBody dict = auth.get();
        Optional<String> sessionId = dict.optionalString("session");
        Session session;
        if (sessionId.isPresent()) {
            session = sessions.get(sessionId.get());
            if (session == null) {
                throw new MatrixException(400, MatrixException.M_UNKNOWN, "Unknown or expired auth session");
            }
            if (!session.operation.equals(operation)) {
                throw MatrixException.forbidden("The auth session was started for another request");
            }
        } else {
            session = newSession(operation, flows);
        }
        Optional<String> type = dict.optionalString("type");
        if (type.isPresent()) {
            String failure = doStage(session, type.get(), dict, user);
            if (failure != null) {
                throw required(session, MatrixException.M_FORBIDDEN, failure);
            }
        }
        synchronized (session) {
            for (AuthFlow flow : session.flows) {
                if (session.completed.containsAll(flow.stages())) {
                    // Only one request may finish a session, even when a client retries in parallel.
                    if (!sessions.remove(session.id, session)) {
                        throw new MatrixException(400, MatrixException.M_UNKNOWN, "Unknown or expired auth session");
                    }
                    return new AuthResult(Optional.ofNullable(session.passwordUser),
                            Optional.ofNullable(session.registrationToken));
                }
            }
        }
        throw required(session, null, null);
    }

    /** Performs a stage; returns the reason it failed, or null when it is now complete. */
    private String doStage(Session session, String type, JsonBody dict, UserId user) {
        boolean offered = session.flows.stream().anyMatch(flow -> flow.stages().contains(type));
        if (!offered) {
            return "Authentication type " + type + " is not offered here";
        }
        switch (type) {
            case AuthFlow.DUMMY -> {
                // Always succeeds.
            }
            case AuthFlow.PASSWORD -> {
                String password = dict.string("password");
                UserId proven;
                try {
                    proven = accounts.checkPassword(LoginIdentifier.user(dict), password);
                } catch (MatrixException e) {
                    if (e.status() == 403) {
                        return e.getMessage();
                    }
                    throw e;
                }
                if (user != null && !user.equals(proven)) {
                    return "The password given is not the requesting user's";
                }
                synchronized (session) {
                    session.passwordUser = proven;
                }
            }
            case AuthFlow.REGISTRATION_TOKEN -> {
                String token = dict.string("token");
                if (!registrationTokens.isValid(token)) {
                    return "Invalid registration token";
                }
                synchronized (session) {
                    session.registrationToken = token;
                }
            }
            default -> {
                return "Authentication type " + type + " is not supported";
            }
        }
        synchronized (session) {
            session.completed.add(type);
        }
        return null;
    }

    private Session newSession(String operation, List<AuthFlow> flows) {
        if (sessions.size() >= MAX_SESSIONS) {
            throw MatrixException.limitExceeded(10_000);
        }
        byte[] bytes = new byte[18];
        random.nextBytes(bytes);
        Session session = new Session(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes), operation,
                List.copyOf(flows), clock.millis() + settings.uiaSessionLifetime().toMillis());
        sessions.put(session.id, session);
        return session;
    }

    private void pruneExpired() {
        long now = clock.millis();
        sessions.values().removeIf(session -> session.expiresAt <= now);
    }

    private static AuthRequiredException required(Session session, String errcode, String message) {
        JsonNodeFactory json = JsonNodeFactory.instance;
        ObjectNode state = json.objectNode();
        ArrayNode flows = state.putArray("flows");
        for (AuthFlow flow : session.flows) {
            ArrayNode stages = flows.addObject().putArray("stages");
            flow.stages().forEach(stages::add);
        }
        state.putObject("params");
        state.put("session", session.id);
        List<String> completed;
        synchronized (session) {
            completed = new ArrayList<>(session.completed);
        }
        ArrayNode done = state.putArray("completed");
        completed.forEach(done::add);
        return new AuthRequiredException(state, errcode, message);
    }

    private static final class Session {
        final String id;
        final String operation;
        final List<AuthFlow> flows;
        final long expiresAt;
        final Set<String> completed = new LinkedHashSet<>();
        UserId passwordUser;
        String registrationToken;

        Session(String id, String operation, List<AuthFlow> flows, long expiresAt) {
            this.id = id;
            this.operation = operation;
            this.flows = flows;
            this.expiresAt = expiresAt;
        }
    }
}
