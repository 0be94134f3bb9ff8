package dev.hyphae.store;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Contract: account data, push rules, filters and profile fields of local users. */
public interface UserDataContract extends StoreFixture {
    String BOB = "@bob:example.onion";

    private void createAccounts() {
        write(tx -> {
            tx.accounts().create(new Account(ALICE, null, 1L, false, false));
            return tx.accounts().create(new Account(BOB, null, 1L, false, false));
        });
    }

    @Test
    default void accountDataChangesTakeIncreasingStreamPositionsAndReplaceEarlierContent() {
        createAccounts();
        assertEquals(0L, (long) store().read(tx -> tx.accountData().currentPosition()));
        long first = write(tx -> tx.accountData().put(ALICE, null, "m.direct", "{\"a\":1}"));
        long second = write(tx -> tx.accountData().put(ALICE, ROOM, "m.tag", "{\"tags\":{}}"));
        long third = write(tx -> tx.accountData().put(BOB, null, "m.direct", "{\"b\":1}"));
        long fourth = write(tx -> tx.accountData().put(ALICE, null, "m.direct", "{\"a\":2}"));
        assertTrue(first < second && second < third && third < fourth);
        assertEquals(fourth, (long) store().read(tx -> tx.accountData().currentPosition()));

        assertEquals(Optional.of(new AccountDataEntry(ALICE, null, "m.direct", "{\"a\":2}", fourth)),
                store().read(tx -> tx.accountData().get(ALICE, null, "m.direct")));
        assertEquals(Optional.of(new AccountDataEntry(ALICE, ROOM, "m.tag", "{\"tags\":{}}", second)),
                store().read(tx -> tx.accountData().get(ALICE, ROOM, "m.tag")));
        assertTrue(store().read(tx -> tx.accountData().get(ALICE, null, "m.tag")).isEmpty(),
                "room account data does not answer for global account data");
        assertTrue(store().read(tx -> tx.accountData().get(ALICE, ROOM, "m.direct")).isEmpty(),
                "global account data does not answer for room account data");

        assertEquals(List.of("m.tag", "m.direct"),
                store().read(tx -> tx.accountData().forUser(ALICE)).stream().map(AccountDataEntry::type).toList());
        assertEquals(List.of(new AccountDataEntry(ALICE, null, "m.direct", "{\"a\":2}", fourth)),
                store().read(tx -> tx.accountData().changedSince(ALICE, second)));
        assertTrue(store().read(tx -> tx.accountData().changedSince(ALICE, fourth)).isEmpty());
    }

    @Test
    default void accountDataSurvivesReopeningTheStore() {
        createAccounts();
        long position = write(tx -> tx.accountData().put(ALICE, null, "m.direct", "{}"));
        reopenStore();
        assertEquals(position, (long) store().read(tx -> tx.accountData().currentPosition()));
        assertTrue(store().read(tx -> tx.accountData().get(ALICE, null, "m.direct")).isPresent());
    }

    @Test
    default void accountDataOfAUserWithoutAccountIsRefused() {
        assertInstanceOf(StoreException.class,
                failureOf(store().write(tx -> tx.accountData().put("@nobody:x", null, "m.direct", "{}"))));
    }

    @Test
    default void pushRulesAreKeptPerUserKindAndRuleIdInPositionOrder() {
        createAccounts();
        write(tx -> {
            tx.pushRules().put(new StoredPushRule(ALICE, "content", "b", 2, true, "{\"pattern\":\"b\"}"));
            tx.pushRules().put(new StoredPushRule(ALICE, "content", "a", 5, true, "{\"pattern\":\"a\"}"));
            tx.pushRules().put(new StoredPushRule(ALICE, "override", ".m.rule.master", 0, true, "{\"actions\":[]}"));
            tx.pushRules().put(new StoredPushRule(BOB, "content", "a", 0, true, "{}"));
            return null;
        });
        assertEquals(List.of("b", "a", ".m.rule.master"),
                store().read(tx -> tx.pushRules().forUser(ALICE)).stream().map(StoredPushRule::ruleId).toList());

        write(tx -> {
            tx.pushRules().put(new StoredPushRule(ALICE, "content", "a", 1, false, "{\"pattern\":\"c\"}"));
            return null;
        });
        assertEquals(Optional.of(new StoredPushRule(ALICE, "content", "a", 1, false, "{\"pattern\":\"c\"}")),
                store().read(tx -> tx.pushRules().get(ALICE, "content", "a")));
        assertTrue(store().read(tx -> tx.pushRules().get(ALICE, "override", "a")).isEmpty());

        assertTrue(writeFlag(tx -> tx.pushRules().delete(ALICE, "content", "a")));
        assertFalse(writeFlag(tx -> tx.pushRules().delete(ALICE, "content", "a")));
        assertTrue(store().read(tx -> tx.pushRules().get(BOB, "content", "a")).isPresent());
    }

    @Test
    default void filterIdsCountUpPerUserAndUnknownIdsFindNothing() {
        createAccounts();
        StoredFilter first = write(tx -> tx.filters().insert(ALICE, "{\"room\":{}}"));
        StoredFilter second = write(tx -> tx.filters().insert(ALICE, "{}"));
        StoredFilter bobs = write(tx -> tx.filters().insert(BOB, "{\"presence\":{}}"));
        assertNotEquals(first.filterId(), second.filterId());
        assertFalse(first.filterId().startsWith("{"));

        assertEquals(Optional.of(first), store().read(tx -> tx.filters().get(ALICE, first.filterId())));
        assertEquals(Optional.of(second), store().read(tx -> tx.filters().get(ALICE, second.filterId())));
        assertEquals(Optional.of(bobs), store().read(tx -> tx.filters().get(BOB, bobs.filterId())));
        assertTrue(store().read(tx -> tx.filters().get(ALICE, "99")).isEmpty());
        assertTrue(store().read(tx -> tx.filters().get(ALICE, "0" + first.filterId())).isEmpty());
        assertTrue(store().read(tx -> tx.filters().get(ALICE, "not a number")).isEmpty());
    }

    @Test
    default void profileFieldsAreSetReplacedAndDeleted() {
        createAccounts();
        write(tx -> {
            tx.profileFields().put(ALICE, "displayname", "\"Alice\"");
            tx.profileFields().put(ALICE, "avatar_url", "\"mxc://example.onion/abc\"");
            tx.profileFields().put(ALICE, "displayname", "\"Alice W\"");
            return null;
        });
        assertEquals(Map.of("avatar_url", "\"mxc://example.onion/abc\"", "displayname", "\"Alice W\""),
                store().read(tx -> tx.profileFields().forUser(ALICE)));
        assertEquals(Optional.of("\"Alice W\""), store().read(tx -> tx.profileFields().get(ALICE, "displayname")));
        assertTrue(store().read(tx -> tx.profileFields().forUser(BOB)).isEmpty());

        assertTrue(writeFlag(tx -> tx.profileFields().delete(ALICE, "avatar_url")));
        assertFalse(writeFlag(tx -> tx.profileFields().delete(ALICE, "avatar_url")));
        assertTrue(store().read(tx -> tx.profileFields().get(ALICE, "avatar_url")).isEmpty());
    }
}
