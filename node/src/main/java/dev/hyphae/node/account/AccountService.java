package dev.hyphae.node.account;

import dev.hyphae.node.http.AccessTokenAuthenticator;
import dev.hyphae.node.http.MatrixException;
import dev.hyphae.node.http.Requester;
import dev.hyphae.node.identifier.DeviceId;
import dev.hyphae.node.identifier.InvalidIdentifierException;
import dev.hyphae.node.identifier.ServerName;
import dev.hyphae.node.identifier.UserId;
import dev.hyphae.store.AccessToken;
import dev.hyphae.store.Account;
import dev.hyphae.store.Device;
import dev.hyphae.store.Store;
import dev.hyphae.store.TokenHash;
import dev.hyphae.store.WriteTransaction;
import dev.hyphae.store.WriteUnit;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletionException;

/**
 * Local accounts, their devices and their tokens, over the store. Methods block the calling
 * (worker) thread until the change is committed, so a caller can answer "done" when one returns.
 * Failures a client should see are {@link MatrixException}s.
 */
public final class AccountService implements AccessTokenAuthenticator {
    private static final int TOKEN_BYTES = 32;
    private static final int GENERATED_LOCALPART_LENGTH = 12;
    private static final String LOCALPART_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

    private final Store store;
    private final ServerName serverName;
    private final PasswordHasher hasher;
    private final AccountSettings settings;
    private final SecureRandom random;
    private final Clock clock;
    private final DeviceDeletionListener deviceDeletions;

    public AccountService(Store store, ServerName serverName, PasswordHasher hasher, AccountSettings settings,
            SecureRandom random, Clock clock) {
        this(store, serverName, hasher, settings, random, clock, DeviceDeletionListener.NONE);
    }

    /** @param deviceDeletions told of every deleted device inside the unit that deletes it */
    public AccountService(Store store, ServerName serverName, PasswordHasher hasher, AccountSettings settings,
            SecureRandom random, Clock clock, DeviceDeletionListener deviceDeletions) {
        this.deviceDeletions = Objects.requireNonNull(deviceDeletions, "deviceDeletions");
        this.store = Objects.requireNonNull(store, "store");
        this.serverName = Objects.requireNonNull(serverName, "serverName");
        this.hasher = Objects.requireNonNull(hasher, "hasher");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.random = Objects.requireNonNull(random, "random");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public ServerName serverName() {
        return serverName;
    }

    /**
     * The user ID a new account with this localpart would get.
     *
     * @throws MatrixException 400 {@code M_INVALID_USERNAME} for a localpart outside the grammar,
     *                         400 {@code M_USER_IN_USE} when taken (deactivated accounts included)
     */
    public UserId availableUserId(String localpart) {
        UserId userId = newUserId(localpart);
        if (store.read(tx -> tx.accounts().exists(userId.toString()))) {
            throw userInUse();
        }
        return userId;
    }

    /** A fresh random localpart that is not taken. */
    public String generateLocalpart() {
        while (true) {
            StringBuilder localpart = new StringBuilder(GENERATED_LOCALPART_LENGTH);
            for (int i = 0; i < GENERATED_LOCALPART_LENGTH; i++) {
                localpart.append(LOCALPART_ALPHABET.charAt(random.nextInt(LOCALPART_ALPHABET.length())));
            }
            UserId candidate = UserId.of(localpart.toString(), serverName);
            if (!store.read(tx -> tx.accounts().exists(candidate.toString()))) {
                return localpart.toString();
            }
        }
    }

    /**
     * Creates an account.
     *
     * @param password the password, or {@code null} for an account that cannot log in with one
     * @throws MatrixException {@code M_INVALID_USERNAME} or {@code M_USER_IN_USE}
     */
    public UserId createAccount(String localpart, String password, boolean admin) {
        UserId userId = newUserId(localpart);
        String hash = password == null ? null : hasher.hash(password);
        long now = clock.millis();
        commit(tx -> {
            if (!tx.accounts().create(new Account(userId.toString(), hash, now, false, admin))) {
                throw userInUse();
            }
            return null;
        });
        return userId;
    }

    public Optional<Account> account(UserId userId) {
        return store.read(tx -> tx.accounts().get(userId.toString()));
    }

    /**
     * The local user named by a full user ID or a bare localpart, as login identifiers give it.
     *
     * @throws MatrixException 403 {@code M_FORBIDDEN} for a malformed or foreign user ID, so that
     *                         login failures all look alike
     */
    public UserId localUser(String userIdOrLocalpart) {
        try {
            UserId userId = userIdOrLocalpart.startsWith("@")
                    ? UserId.parse(userIdOrLocalpart)
                    : UserId.parse("@" + userIdOrLocalpart + ":" + serverName);
            if (!userId.serverName().equals(serverName)) {
                throw invalidLogin();
            }
            return userId;
        } catch (InvalidIdentifierException e) {
            throw invalidLogin();
        }
    }

    /**
     * Checks a user's password.
     *
     * @throws MatrixException 403 {@code M_FORBIDDEN} for an unknown user or a wrong password (alike,
     *                         also in the time taken), 403 {@code M_USER_DEACTIVATED} for a
     *                         deactivated account
     */
    public UserId checkPassword(String userIdOrLocalpart, String password) {
        UserId userId = localUser(userIdOrLocalpart);
        Optional<Account> account = account(userId);
        if (account.isEmpty()) {
            hasher.verifyNothing(password);
            throw invalidLogin();
        }
        if (account.get().deactivated()) {
            throw new MatrixException(403, MatrixException.M_USER_DEACTIVATED, "This account has been deactivated");
        }
        if (!hasher.verify(password, account.get().passwordHash())) {
            throw invalidLogin();
        }
        return userId;
    }

    /**
     * Logs a device in: creates the device when new (else revokes its earlier tokens, as the spec
     * requires for a reused device ID) and issues new tokens.
     *
     * @param deviceId    the client's device ID, or {@code null} for a new generated one
     * @param displayName the new device's display name, or {@code null}
     * @param clientIp    the address the client logs in from, recorded as the device's last seen
     *                    address, or {@code null}
     * @throws MatrixException 400 {@code M_INVALID_PARAM} for a malformed device ID
     */
    public IssuedTokens logIn(UserId userId, String deviceId, String displayName, boolean withRefreshToken,
            String clientIp) {
        String device = deviceId == null ? DeviceId.generate(random).toString() : validDeviceId(deviceId);
        long now = clock.millis();
        Secrets secrets = newSecrets(withRefreshToken);
        Long expiresTs = withRefreshToken ? now + settings.refreshingAccessTokenLifetime().toMillis() : null;
        commit(tx -> {
            Optional<Account> account = tx.accounts().get(userId.toString());
            if (account.isEmpty() || account.get().deactivated()) {
                throw new MatrixException(403, MatrixException.M_USER_DEACTIVATED, "This account has been deactivated");
            }
            if (!tx.devices().insert(new Device(userId.toString(), device, displayName, now, clientIp))) {
                tx.accessTokens().deleteForDevice(userId.toString(), device);
                tx.devices().recordSeen(userId.toString(), device, now, clientIp);
            }
            tx.accessTokens().insert(new AccessToken(secrets.accessHash(), userId.toString(), device, now, expiresTs,
                    secrets.refreshHash()));
            return null;
        });
        return secrets.issue(userId, device, withRefreshToken ? settings.refreshingAccessTokenLifetime().toMillis() : null);
    }

    /**
     * The requester of an access token.
     *
     * @throws MatrixException 401 {@code M_UNKNOWN_TOKEN}, with {@code soft_logout} true when the
     *                         token expired (the client can refresh it) and false otherwise
     */
    @Override
    public Requester authenticate(String accessToken) {
        TokenHash hash = TokenHash.of(accessToken);
        AccessToken token = store.read(tx -> tx.accessTokens().byTokenHash(hash))
                .orElseThrow(() -> MatrixException.unknownToken("Unrecognised access token", false));
        if (token.isExpiredAt(clock.millis())) {
            throw MatrixException.unknownToken("The access token has expired", true);
        }
        return new Requester(UserId.parse(token.userId()), token.deviceId(), hash);
    }

    /**
     * Exchanges a refresh token for a new access token and a new refresh token (the old pair is
     * revoked at once).
     *
     * @throws MatrixException 401 {@code M_UNKNOWN_TOKEN} (soft_logout false) for an unknown or
     *                         already used refresh token
     */
    public IssuedTokens refresh(String refreshToken) {
        if (refreshToken.isEmpty()) {
            throw MatrixException.unknownToken("Unrecognised refresh token", false);
        }
        TokenHash oldHash = TokenHash.of(refreshToken);
        Secrets secrets = newSecrets(true);
        long now = clock.millis();
        long lifetime = settings.refreshingAccessTokenLifetime().toMillis();
        AccessToken old = commit(tx -> {
            AccessToken found = tx.accessTokens().byRefreshTokenHash(oldHash)
                    .orElseThrow(() -> MatrixException.unknownToken("Unrecognised refresh token", false));
            tx.accessTokens().delete(found.tokenHash());
            tx.accessTokens().insert(new AccessToken(secrets.accessHash(), found.userId(), found.deviceId(), now,
                    now + lifetime, secrets.refreshHash()));
            return found;
        });
        return secrets.issue(UserId.parse(old.userId()), old.deviceId(), lifetime);
    }

    /** Logs out the requester's device: deletes the device and with it all its tokens. */
    public void logOut(Requester requester) {
        commit(tx -> {
            tx.accessTokens().delete(requester.accessTokenHash());
            deleteDevices(tx, requester.userId().toString(), List.of(requester.deviceId()));
            return null;
        });
    }

    /** Logs out every device of the user. */
    public void logOutAll(UserId userId) {
        commit(tx -> {
            deleteDevices(tx, userId.toString(), deviceIds(tx.devices().forUser(userId.toString())));
            tx.accessTokens().deleteForUser(userId.toString());
            return null;
        });
    }

    public List<Device> devices(UserId userId) {
        return store.read(tx -> tx.devices().forUser(userId.toString()));
    }

    public Optional<Device> device(UserId userId, String deviceId) {
        return store.read(tx -> tx.devices().get(userId.toString(), deviceId));
    }

    /** Renames a device; {@code false} when the user has no such device. */
    public boolean renameDevice(UserId userId, String deviceId, String displayName) {
        return commit(tx -> tx.devices().setDisplayName(userId.toString(), deviceId, displayName));
    }

    /** Deletes devices (and their tokens); unknown device IDs are ignored, as the spec asks. */
    public void deleteDevices(UserId userId, Collection<String> deviceIds) {
        commit(tx -> {
            deleteDevices(tx, userId.toString(), deviceIds);
            return null;
        });
    }

    /**
     * Sets a new password; with {@code logOutDevices}, every device except {@code keepDeviceId}
     * (the requester's, may be {@code null}) is logged out.
     */
    public void changePassword(UserId userId, String newPassword, boolean logOutDevices, String keepDeviceId) {
        String hash = hasher.hash(newPassword);
        commit(tx -> {
            if (!tx.accounts().setPasswordHash(userId.toString(), hash)) {
                throw MatrixException.forbidden("Unknown account");
            }
            if (logOutDevices) {
                List<String> others = deviceIds(tx.devices().forUser(userId.toString())).stream()
                        .filter(deviceId -> !deviceId.equals(keepDeviceId)).toList();
                deleteDevices(tx, userId.toString(), others);
            }
            return null;
        });
    }

    /** Deactivates the account: no password, no devices, no tokens; the user ID stays taken. */
    public void deactivate(UserId userId) {
        commit(tx -> {
            tx.accounts().deactivate(userId.toString());
            deleteDevices(tx, userId.toString(), deviceIds(tx.devices().forUser(userId.toString())));
            tx.accessTokens().deleteForUser(userId.toString());
            return null;
        });
    }

    private UserId newUserId(String localpart) {
        String problem = localpart == null || localpart.isEmpty() ? "the username is empty" : UserId.localpartProblem(localpart);
        if (problem != null) {
            throw new MatrixException(400, MatrixException.M_INVALID_USERNAME, "Invalid username: " + problem);
        }
        try {
            return UserId.of(localpart, serverName);
        } catch (InvalidIdentifierException e) {
            throw new MatrixException(400, MatrixException.M_INVALID_USERNAME, "Invalid username: " + e.getMessage());
        }
    }

    private static String validDeviceId(String deviceId) {
        try {
            return DeviceId.parse(deviceId).toString();
        } catch (InvalidIdentifierException e) {
            throw MatrixException.invalidParam("Invalid device_id: " + e.getMessage());
        }
    }

    private Secrets newSecrets(boolean withRefreshToken) {
        String access = "hya_" + randomToken();
        String refresh = withRefreshToken ? "hyr_" + randomToken() : null;
        return new Secrets(access, refresh);
    }

    private String randomToken() {
        byte[] bytes = new byte[TOKEN_BYTES];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Runs a write unit and waits for its commit, rethrowing the unit's own exception. */
    /** Deletes the devices that exist among {@code deviceIds} and tells the listener which did. */
    private void deleteDevices(WriteTransaction tx, String userId, Collection<String> deviceIds) {
        List<String> deleted = new ArrayList<>();
        for (String deviceId : new LinkedHashSet<>(deviceIds)) {
            if (tx.devices().delete(userId, deviceId)) {
                deleted.add(deviceId);
            }
        }
        if (!deleted.isEmpty()) {
            deviceDeletions.devicesDeleted(tx, userId, List.copyOf(deleted));
        }
    }

    private static List<String> deviceIds(List<Device> devices) {
        return devices.stream().map(Device::deviceId).toList();
    }

    private <T> T commit(WriteUnit<T> unit) {
        try {
            return store.write(unit).join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }

    private static MatrixException userInUse() {
        return new MatrixException(400, MatrixException.M_USER_IN_USE, "User ID already taken");
    }

    private static MatrixException invalidLogin() {
        return MatrixException.forbidden("Invalid username or password");
    }

    private record Secrets(String access, String refresh) {
        TokenHash accessHash() {
            return TokenHash.of(access);
        }

        TokenHash refreshHash() {
            return refresh == null ? null : TokenHash.of(refresh);
        }

        IssuedTokens issue(UserId userId, String deviceId, Long expiresInMs) {
            return new IssuedTokens(userId, deviceId, access, refresh, expiresInMs);
        }
    }
}
