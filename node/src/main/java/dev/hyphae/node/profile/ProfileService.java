package dev.hyphae.node.profile;

import dev.hyphae.node.identifier.ServerName;
import dev.hyphae.node.identifier.UserId;
import dev.hyphae.store.Store;
import dev.hyphae.store.WriteTransaction;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

/**
 * Profiles of local users: GET /profile/{userId}, GET/PUT/DELETE /profile/{userId}/{keyName}.
 * The caller has checked that a modifying requester is {@code user} (else M_FORBIDDEN); profiles
 * of users on other servers are asked of their servers through {@link RemoteProfiles}. Changes of {@code displayname} or {@code avatar_url}
 * go to the {@link ProfilePropagation} after commit.
 */
public final class ProfileService {
    public static final String DISPLAYNAME = "displayname";
    public static final String AVATAR_URL = "avatar_url";
    public static final String TIME_ZONE = "m.tz";

    /** The spec's grammar for {@code keyName}. */
    static final Pattern KEY_NAME = Pattern.compile("avatar_url|displayname|m\\.tz|[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)+");
    static final int MAX_KEY_BYTES = 255;
    /** The whole profile must stay under 64 KiB. */
    static final int MAX_PROFILE_BYTES = 64 * 1024;
    private static final Pattern MXC_URI = Pattern.compile("mxc://[^/]+/[A-Za-z0-9_-]+");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** How long a lookup of a remote user's profile may take. */
    static final Duration REMOTE_TIMEOUT = Duration.ofSeconds(20);

    private final Store store;
    private final ProfilePropagation propagation;
    private final ServerName localServer;
    private final RemoteProfiles remote;

    /** Profiles of local users only. */
    public ProfileService(Store store, ProfilePropagation propagation) {
        this.store = Objects.requireNonNull(store, "store");
        this.propagation = Objects.requireNonNull(propagation, "propagation");
        this.localServer = null;
        this.remote = RemoteProfiles.NONE;
    }

    /** Profiles of local users, and of users of servers other than {@code localServer} through {@code remote}. */
    public ProfileService(Store store, ProfilePropagation propagation, ServerName localServer, RemoteProfiles remote) {
        this.store = Objects.requireNonNull(store, "store");
        this.propagation = Objects.requireNonNull(propagation, "propagation");
        this.localServer = Objects.requireNonNull(localServer, "localServer");
        this.remote = Objects.requireNonNull(remote, "remote");
    }

    private boolean isRemote(UserId user) {
        return localServer != null && !user.serverName().equals(localServer);
    }

    /** A remote user's profile (or one field of it), waited for at most {@link #REMOTE_TIMEOUT}. */
    private ObjectNode remoteProfile(UserId user, Optional<String> field) {
        try {
            return remote.query(user, field).get(REMOTE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ProfileException profile) {
                throw profile;
            }
            throw new ProfileException("M_UNKNOWN", 502, "the user's server could not be asked: "
                    + e.getCause().getMessage());
        } catch (TimeoutException e) {
            throw new ProfileException("M_UNKNOWN", 504, "the user's server did not answer in time");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProfileException("M_UNKNOWN", 503, "interrupted");
        }
    }

    /**
     * GET /profile/{userId}: every field.
     *
     * @throws ProfileException M_NOT_FOUND (404) when the user has no account here
     */
    public ObjectNode profile(UserId user) {
        if (isRemote(user)) {
            return remoteProfile(user, Optional.empty());
        }
        return store.read(tx -> {
            if (!tx.accounts().exists(user.toString())) {
                throw ProfileException.notFound("no such user");
            }
            return toObject(tx.profileFields().forUser(user.toString()));
        });
    }

    /**
     * GET /profile/{userId}/{keyName}: {@code {keyName: value}}.
     *
     * @throws ProfileException M_INVALID_PARAM for a malformed key, M_NOT_FOUND (404) when the
     *                          field is not set or the user does not exist
     */
    public ObjectNode field(UserId user, String keyName) {
        checkKey(keyName);
        if (isRemote(user)) {
            ObjectNode answer = remoteProfile(user, Optional.of(keyName));
            if (!answer.has(keyName) || answer.get(keyName).isNull()) {
                throw ProfileException.notFound("no profile field " + keyName);
            }
            ObjectNode result = JsonNodeFactory.instance.objectNode();
            result.set(keyName, answer.get(keyName));
            return result;
        }
        String value = store.read(tx -> tx.profileFields().get(user.toString(), keyName))
                .orElseThrow(() -> ProfileException.notFound("no profile field " + keyName));
        ObjectNode result = JsonNodeFactory.instance.objectNode();
        result.set(keyName, parse(value));
        return result;
    }

    /** The display name and avatar URL to put into the user's membership events. */
    /** Puts the user's display name and avatar URL, those that are set, into a member event's content. */
    public void addMemberFields(String userId, ObjectNode content) {
        MemberProfile profile = memberProfile(UserId.parse(userId));
        profile.displayName().ifPresent(name -> content.put(DISPLAYNAME, name));
        profile.avatarUrl().ifPresent(url -> content.put(AVATAR_URL, url));
    }

    public MemberProfile memberProfile(UserId user) {
        return store.read(tx -> memberProfile(tx.profileFields().forUser(user.toString())));
    }

    /**
     * PUT /profile/{userId}/{keyName} with the request body; completes after commit.
     *
     * @throws ProfileException M_INVALID_PARAM for a malformed key or value, M_KEY_TOO_LARGE,
     *                          M_MISSING_PARAM when the body lacks the key, M_BAD_JSON for a value
     *                          of the wrong type, M_PROFILE_TOO_LARGE (also as the future's
     *                          failure), M_NOT_FOUND when the user has no account here
     */
    public CompletableFuture<Void> setField(UserId user, String keyName, ObjectNode body) {
        checkKey(keyName);
        if (body == null || !body.has(keyName)) {
            throw ProfileException.missingParam("the body must hold the property " + keyName);
        }
        JsonNode value = body.get(keyName).deepCopy();
        checkValue(keyName, value);
        String valueJson = value.toString();
        return change(user, keyName, tx -> {
            Map<String, String> fields = new TreeMap<>(tx.profileFields().forUser(user.toString()));
            fields.put(keyName, valueJson);
            if (toObject(fields).toString().getBytes(StandardCharsets.UTF_8).length >= MAX_PROFILE_BYTES) {
                throw new ProfileException("M_PROFILE_TOO_LARGE", 400, "the profile would exceed 64 KiB");
            }
            tx.profileFields().put(user.toString(), keyName, valueJson);
        });
    }

    /**
     * DELETE /profile/{userId}/{keyName}; succeeds also when the field was not set.
     *
     * @throws ProfileException M_INVALID_PARAM for a malformed key, M_NOT_FOUND when the user has
     *                          no account here
     */
    public CompletableFuture<Void> deleteField(UserId user, String keyName) {
        checkKey(keyName);
        return change(user, keyName, tx -> tx.profileFields().delete(user.toString(), keyName));
    }

    /** The {@code m.profile_fields} capability: every field may be changed. */
    public ObjectNode capability() {
        return JsonNodeFactory.instance.objectNode().put("enabled", true);
    }

    private interface Change {
        void apply(WriteTransaction tx);
    }

    private CompletableFuture<Void> change(UserId user, String keyName, Change change) {
        String userId = user.toString();
        return store.write(tx -> {
            if (!tx.accounts().exists(userId)) {
                throw ProfileException.notFound("no such user");
            }
            MemberProfile before = memberProfile(tx.profileFields().forUser(userId));
            change.apply(tx);
            MemberProfile after = memberProfile(tx.profileFields().forUser(userId));
            if (!after.equals(before)) {
                tx.afterCommit(() -> propagation.memberProfileChanged(user, after));
            }
            return null;
        });
    }

    static void checkKey(String keyName) {
        Objects.requireNonNull(keyName, "keyName");
        if (keyName.getBytes(StandardCharsets.UTF_8).length > MAX_KEY_BYTES) {
            throw new ProfileException("M_KEY_TOO_LARGE", 400, "profile keys may be at most 255 bytes");
        }
        if (!KEY_NAME.matcher(keyName).matches()) {
            throw ProfileException.invalidParam("invalid profile key: it must be avatar_url, displayname, m.tz"
                    + " or a namespaced identifier such as org.example.field");
        }
    }

    private static void checkValue(String keyName, JsonNode value) {
        switch (keyName) {
            case DISPLAYNAME, TIME_ZONE -> {
                if (!value.isTextual()) {
                    throw ProfileException.badJson(keyName + " must be a string (use DELETE to remove it)");
                }
            }
            case AVATAR_URL -> {
                if (!value.isTextual()) {
                    throw ProfileException.badJson("avatar_url must be a string (use DELETE to remove it)");
                }
                if (!MXC_URI.matcher(value.asText()).matches()) {
                    throw ProfileException.invalidParam("avatar_url must be an mxc:// URI");
                }
            }
            default -> {
                // Custom fields may hold any JSON value.
            }
        }
    }

    private static MemberProfile memberProfile(Map<String, String> fields) {
        return new MemberProfile(text(fields.get(DISPLAYNAME)), text(fields.get(AVATAR_URL)));
    }

    private static Optional<String> text(String json) {
        if (json == null) {
            return Optional.empty();
        }
        JsonNode value = parse(json);
        return value.isTextual() ? Optional.of(value.asText()) : Optional.empty();
    }

    private static ObjectNode toObject(Map<String, String> fields) {
        ObjectNode object = JsonNodeFactory.instance.objectNode();
        fields.forEach((key, json) -> object.set(key, parse(json)));
        return object;
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored profile field is not JSON", e);
        }
    }
}
