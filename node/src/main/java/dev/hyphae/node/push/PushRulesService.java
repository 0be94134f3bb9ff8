package dev.hyphae.node.push;

import dev.hyphae.node.accountdata.AccountDataService;
import dev.hyphae.node.identifier.InvalidIdentifierException;
import dev.hyphae.node.identifier.RoomId;
import dev.hyphae.node.identifier.UserId;
import dev.hyphae.store.ReadTransaction;
import dev.hyphae.store.Store;
import dev.hyphae.store.WriteTransaction;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The push rules API (GET/PUT/DELETE /pushrules/global/{kind}/{ruleId}, its enabled and actions)
 * over the user's stored rules and the server-default rules. After every change the whole ruleset
 * is written as {@code m.push_rules} global account data in the same transaction, so /sync sends
 * it in {@code account_data}.
 */
public final class PushRulesService {
    public static final String ACCOUNT_DATA_TYPE = "m.push_rules";

    private final Store store;
    private final AccountDataService accountData;

    public PushRulesService(Store store, AccountDataService accountData) {
        this.store = Objects.requireNonNull(store, "store");
        this.accountData = Objects.requireNonNull(accountData, "accountData");
    }

    /** GET /pushrules/ (use {@link PushRuleSet#toJson()}) and the rules the evaluator runs. */
    public PushRuleSet rulesFor(UserId user) {
        return store.read(tx -> PushRuleStorage.load(tx, user.toString()));
    }

    /** Loads the user's rules inside another unit, e.g. the room pipeline's. */
    public static PushRuleSet rulesFor(ReadTransaction tx, String userId) {
        return PushRuleStorage.load(tx, userId);
    }

    /**
     * Writes the user's current ruleset as {@code m.push_rules} account data inside the caller's
     * unit, e.g. when the account is registered, so that the first /sync and GET account_data
     * find it before the user ever changes a rule.
     */
    public long publishInTransaction(WriteTransaction tx, String userId) {
        return accountData.setInTransaction(tx, userId, null, ACCOUNT_DATA_TYPE, PushRuleStorage.load(tx, userId).toJson());
    }

    /**
     * GET /pushrules/global/{kind}/{ruleId}; {@code .enabled} and {@code .actions} of the result
     * answer the enabled and actions endpoints.
     *
     * @throws PushRulesException M_INVALID_PARAM for an unknown kind, M_NOT_FOUND for no such rule
     */
    public PushRule getRule(UserId user, String kind, String ruleId) {
        PushRuleKind parsedKind = kind(kind);
        return rulesFor(user).find(parsedKind, ruleId).orElseThrow(() -> notFound(ruleId));
    }

    /**
     * PUT /pushrules/global/{kind}/{ruleId}: creates or replaces a user-defined rule.
     *
     * @param body   the request body ({@code actions}, and {@code pattern} or {@code conditions})
     * @param before the {@code before} query parameter or {@code null}
     * @param after  the {@code after} query parameter or {@code null}
     * @throws PushRulesException (also as the future's failure) M_INVALID_PARAM for a bad kind or
     *                            rule ID, M_BAD_JSON / M_MISSING_PARAM for a bad body, M_UNKNOWN
     *                            when {@code before}/{@code after} names no user-defined rule
     */
    public CompletableFuture<Void> putRule(UserId user, String kind, String ruleId, ObjectNode body,
                                           String before, String after) {
        PushRuleKind parsedKind = kind(kind);
        checkUserRuleId(parsedKind, ruleId);
        PushRule rule = PushRuleParser.parse(parsedKind, ruleId, body);
        for (String anchor : new String[] {before, after}) {
            if (anchor != null && anchor.startsWith(".")) {
                throw PushRulesException.unknown("a rule cannot be placed relative to the server-default rule " + anchor);
            }
        }
        return change(user, tx -> PushRuleStorage.placeUserRule(tx, user.toString(), rule, before, after));
    }

    /**
     * DELETE /pushrules/global/{kind}/{ruleId}.
     *
     * @throws PushRulesException M_NOT_FOUND when the user has no such rule, M_INVALID_PARAM for a
     *                            server-default rule (they cannot be deleted, only disabled)
     */
    public CompletableFuture<Void> deleteRule(UserId user, String kind, String ruleId) {
        PushRuleKind parsedKind = kind(kind);
        if (ruleId.startsWith(".")) {
            throw PushRulesException.invalidParam("server-default rules cannot be deleted: " + ruleId);
        }
        return change(user, tx -> {
            if (!tx.pushRules().delete(user.toString(), parsedKind.wireName(), ruleId)) {
                throw notFound(ruleId);
            }
        });
    }

    /**
     * PUT /pushrules/global/{kind}/{ruleId}/enabled, for user-defined and server-default rules.
     *
     * @throws PushRulesException M_NOT_FOUND for no such rule
     */
    public CompletableFuture<Void> setEnabled(UserId user, String kind, String ruleId, boolean enabled) {
        PushRuleKind parsedKind = kind(kind);
        return change(user, tx -> {
            PushRule rule = PushRuleStorage.load(tx, user.toString()).find(parsedKind, ruleId)
                    .orElseThrow(() -> notFound(ruleId));
            PushRuleStorage.update(tx, user.toString(), rule.withEnabled(enabled));
        });
    }

    /**
     * PUT /pushrules/global/{kind}/{ruleId}/actions, for user-defined and server-default rules.
     *
     * @param actions the {@code actions} member of the body
     * @throws PushRulesException M_BAD_JSON for malformed actions, M_NOT_FOUND for no such rule
     */
    public CompletableFuture<Void> setActions(UserId user, String kind, String ruleId, JsonNode actions) {
        PushRuleKind parsedKind = kind(kind);
        List<JsonNode> parsed = PushRuleParser.actions(actions);
        return change(user, tx -> {
            PushRule rule = PushRuleStorage.load(tx, user.toString()).find(parsedKind, ruleId)
                    .orElseThrow(() -> notFound(ruleId));
            PushRuleStorage.update(tx, user.toString(), rule.withActions(parsed));
        });
    }

    /**
     * Carries the user's rules about one room over to its replacement after a room upgrade: the
     * {@code room} rule of the old room, and the user's {@code override} and {@code underride}
     * rules with an {@code event_match} condition on {@code room_id} naming the old room, each
     * copied with the new room in its place (and in its rule ID, where the ID names the old room;
     * otherwise the ID gains the new room's ID), placed right after the original and enabled as it
     * is. A rule whose copy's ID is already taken is left alone, so copying twice changes nothing.
     *
     * @return the IDs of the rules written (also as the future's value, after commit)
     */
    public CompletableFuture<List<String>> copyRoomRules(UserId user, String oldRoomId, String newRoomId) {
        Objects.requireNonNull(oldRoomId, "oldRoomId");
        Objects.requireNonNull(newRoomId, "newRoomId");
        String userId = user.toString();
        return store.write(tx -> {
            PushRuleSet rules = PushRuleStorage.load(tx, userId);
            List<String> written = new ArrayList<>();
            for (PushRuleKind kind : List.of(PushRuleKind.OVERRIDE, PushRuleKind.ROOM, PushRuleKind.UNDERRIDE)) {
                for (PushRule rule : rules.rules(kind)) {
                    Optional<PushRule> copy = rule.isDefault() ? Optional.empty()
                            : forNewRoom(rule, oldRoomId, newRoomId);
                    if (copy.isEmpty() || rules.find(kind, copy.get().ruleId()).isPresent()) {
                        continue;
                    }
                    PushRuleStorage.placeUserRule(tx, userId, copy.get(), null, rule.ruleId());
                    if (!rule.enabled()) {
                        PushRuleStorage.update(tx, userId, copy.get().withEnabled(false));
                    }
                    written.add(copy.get().ruleId());
                }
            }
            if (!written.isEmpty()) {
                publishInTransaction(tx, userId);
            }
            return List.copyOf(written);
        });
    }

    /** The rule for the new room when {@code rule} is about the old one. */
    private static Optional<PushRule> forNewRoom(PushRule rule, String oldRoomId, String newRoomId) {
        if (rule.kind() == PushRuleKind.ROOM) {
            return rule.ruleId().equals(oldRoomId) ? Optional.of(new PushRule(PushRuleKind.ROOM, newRoomId, false,
                    rule.enabled(), rule.conditions(), rule.pattern(), rule.actions())) : Optional.empty();
        }
        boolean aboutOldRoom = false;
        List<PushCondition> conditions = new ArrayList<>();
        for (PushCondition condition : rule.conditions()) {
            if (condition instanceof PushCondition.EventMatch match && match.key().equals("room_id")
                    && match.pattern().equals(oldRoomId)) {
                aboutOldRoom = true;
                conditions.add(new PushCondition.EventMatch("room_id", newRoomId));
            } else {
                conditions.add(condition);
            }
        }
        if (!aboutOldRoom) {
            return Optional.empty();
        }
        String ruleId = rule.ruleId().contains(oldRoomId) ? rule.ruleId().replace(oldRoomId, newRoomId)
                : rule.ruleId() + "-" + newRoomId;
        return Optional.of(new PushRule(rule.kind(), ruleId, false, rule.enabled(), conditions, rule.pattern(),
                rule.actions()));
    }

    private interface Change {
        void apply(WriteTransaction tx);
    }

    private CompletableFuture<Void> change(UserId user, Change change) {
        String userId = user.toString();
        return store.write(tx -> {
            change.apply(tx);
            publishInTransaction(tx, userId);
            return null;
        });
    }

    private static PushRuleKind kind(String kind) {
        Objects.requireNonNull(kind, "kind");
        return PushRuleKind.fromWireName(kind)
                .orElseThrow(() -> PushRulesException.invalidParam("unknown push rule kind: " + kind));
    }

    private static void checkUserRuleId(PushRuleKind kind, String ruleId) {
        Objects.requireNonNull(ruleId, "ruleId");
        if (ruleId.isEmpty()) {
            throw PushRulesException.invalidParam("rule id must not be empty");
        }
        if (ruleId.startsWith(".")) {
            throw PushRulesException.invalidParam("rule ids starting with '.' are reserved for server-default rules");
        }
        if (ruleId.contains("/") || ruleId.contains("\\")) {
            throw PushRulesException.invalidParam("rule ids must not contain '/' or '\\'");
        }
        try {
            if (kind == PushRuleKind.ROOM) {
                RoomId.parse(ruleId);
            } else if (kind == PushRuleKind.SENDER) {
                UserId.parse(ruleId);
            }
        } catch (InvalidIdentifierException e) {
            throw PushRulesException.invalidParam("the rule id of a " + kind.wireName() + " rule must be its "
                    + (kind == PushRuleKind.ROOM ? "room" : "sender") + ": " + e.getMessage());
        }
    }

    static PushRulesException notFound(String ruleId) {
        return PushRulesException.notFound("no push rule " + ruleId);
    }
}
