package dev.hyphae.store;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Contract: accounts, devices, access tokens and client transaction responses. */
public interface AccountsContract extends StoreFixture {
    @Test
    default void accountLifecycle() {
        assertTrue(writeFlag(tx -> tx.accounts().create(new Account(ALICE, "hash1", 5L, false, false))));
        assertFalse(writeFlag(tx -> tx.accounts().create(new Account(ALICE, "other", 6L, false, true))));
        assertEquals(new Account(ALICE, "hash1", 5L, false, false), store().read(tx -> tx.accounts().get(ALICE)).orElseThrow());

        assertTrue(writeFlag(tx -> tx.accounts().setPasswordHash(ALICE, "hash2")));
        assertTrue(writeFlag(tx -> tx.accounts().setAdmin(ALICE, true)));
        assertEquals(new Account(ALICE, "hash2", 5L, false, true), store().read(tx -> tx.accounts().get(ALICE)).orElseThrow());

        assertTrue(writeFlag(tx -> tx.accounts().deactivate(ALICE)));
        assertEquals(new Account(ALICE, null, 5L, true, true), store().read(tx -> tx.accounts().get(ALICE)).orElseThrow());

        assertFalse(writeFlag(tx -> tx.accounts().deactivate("@nobody:x")));
        assertFalse(writeFlag(tx -> tx.accounts().setPasswordHash("@nobody:x", "h")));
        assertTrue(store().read(tx -> tx.accounts().get("@nobody:x")).isEmpty());
    }

    @Test
    default void allAccountsAreListedInUserIdOrder() {
        write(tx -> tx.accounts().create(new Account("@zed:x", "h", 1L, false, false)));
        write(tx -> tx.accounts().create(new Account("@amy:x", null, 2L, true, true)));
        assertEquals(List.of(new Account("@amy:x", null, 2L, true, true), new Account("@zed:x", "h", 1L, false, false)),
                store().read(tx -> tx.accounts().all()));
    }

    @Test
    default void deviceLifecycleAndDeletingADeviceRevokesItsTokens() {
        write(tx -> tx.accounts().create(new Account(ALICE, "hash", 1L, false, false)));
        assertTrue(writeFlag(tx -> tx.devices().insert(new Device(ALICE, "PHONE", "Phone", null, null))));
        assertTrue(writeFlag(tx -> tx.devices().insert(new Device(ALICE, "LAPTOP", null, null, null))));
        assertFalse(writeFlag(tx -> tx.devices().insert(new Device(ALICE, "PHONE", "Again", null, null))));

        assertTrue(writeFlag(tx -> tx.devices().setDisplayName(ALICE, "LAPTOP", "Laptop")));
        assertTrue(writeFlag(tx -> tx.devices().recordSeen(ALICE, "PHONE", 99L, "127.0.0.1")));
        assertEquals(List.of(new Device(ALICE, "LAPTOP", "Laptop", null, null),
                        new Device(ALICE, "PHONE", "Phone", 99L, "127.0.0.1")),
                store().read(tx -> tx.devices().forUser(ALICE)));

        TokenHash phoneToken = TokenHash.of("phone-token");
        write(tx -> tx.accessTokens().insert(new AccessToken(phoneToken, ALICE, "PHONE", 1L, null, null)));
        assertTrue(writeFlag(tx -> tx.devices().delete(ALICE, "PHONE")));
        assertFalse(writeFlag(tx -> tx.devices().delete(ALICE, "PHONE")));
        assertTrue(store().read(tx -> tx.accessTokens().byTokenHash(phoneToken)).isEmpty());
        assertTrue(store().read(tx -> tx.devices().get(ALICE, "PHONE")).isEmpty());
    }

    @Test
    default void deviceOfAnUnknownAccountIsRefusedWithAStoreException() {
        assertInstanceOf(StoreException.class,
                failureOf(store().write(tx -> tx.devices().insert(new Device("@nobody:x", "D", null, null, null)))));
    }

    @Test
    default void accessTokensAreFoundByTheHashOfTheirToken() {
        write(tx -> {
            tx.accounts().create(new Account(ALICE, "hash", 1L, false, false));
            return tx.devices().insert(new Device(ALICE, "PHONE", null, null, null));
        });
        AccessToken token = new AccessToken(TokenHash.of("syt_secret"), ALICE, "PHONE", 10L, 1000L,
                TokenHash.of("syr_refresh"));
        assertTrue(writeFlag(tx -> tx.accessTokens().insert(token)));
        assertFalse(writeFlag(tx -> tx.accessTokens().insert(token)));

        assertEquals(Optional.of(token), store().read(tx -> tx.accessTokens().byTokenHash(TokenHash.of("syt_secret"))));
        assertEquals(Optional.of(token), store().read(tx -> tx.accessTokens().byRefreshTokenHash(TokenHash.of("syr_refresh"))));
        assertTrue(store().read(tx -> tx.accessTokens().byTokenHash(TokenHash.of("syt_guess"))).isEmpty());
        assertTrue(token.isExpiredAt(1000L));
        assertFalse(token.isExpiredAt(999L));

        assertTrue(writeFlag(tx -> tx.accessTokens().delete(token.tokenHash())));
        assertTrue(store().read(tx -> tx.accessTokens().byTokenHash(token.tokenHash())).isEmpty());
    }

    @Test
    default void loggingOutEverywhereDeletesEveryTokenOfTheUser() {
        write(tx -> {
            tx.accounts().create(new Account(ALICE, "hash", 1L, false, false));
            tx.devices().insert(new Device(ALICE, "A", null, null, null));
            tx.devices().insert(new Device(ALICE, "B", null, null, null));
            tx.accessTokens().insert(new AccessToken(TokenHash.of("t1"), ALICE, "A", 1L, null, null));
            tx.accessTokens().insert(new AccessToken(TokenHash.of("t2"), ALICE, "A", 2L, null, null));
            return tx.accessTokens().insert(new AccessToken(TokenHash.of("t3"), ALICE, "B", 3L, null, null));
        });
        assertEquals(2, store().read(tx -> tx.accessTokens().forDevice(ALICE, "A")).size());
        assertEquals(2, writeCount(tx -> tx.accessTokens().deleteForDevice(ALICE, "A")));
        assertEquals(1, writeCount(tx -> tx.accessTokens().deleteForUser(ALICE)));
        assertTrue(store().read(tx -> tx.accessTokens().forDevice(ALICE, "B")).isEmpty());
    }

    @Test
    default void retransmittedClientRequestFindsTheFirstResponse() {
        write(tx -> {
            tx.accounts().create(new Account(ALICE, "hash", 1L, false, false));
            return tx.devices().insert(new Device(ALICE, "PHONE", null, null, null));
        });
        String path = "/_matrix/client/v3/rooms/" + ROOM + "/send/m.room.message/txn1";
        ClientTransaction first = new ClientTransaction(ALICE, "PHONE", path, 200, "{\"event_id\":\"$a\"}", 5L);
        assertTrue(writeFlag(tx -> tx.clientTransactions().record(first)));
        assertFalse(writeFlag(tx -> tx.clientTransactions().record(
                new ClientTransaction(ALICE, "PHONE", path, 200, "{\"event_id\":\"$b\"}", 6L))));

        assertEquals(Optional.of(first), store().read(tx -> tx.clientTransactions().get(ALICE, "PHONE", path)));
        assertTrue(store().read(tx -> tx.clientTransactions().get(ALICE, "OTHER", path)).isEmpty());
        assertTrue(store().read(tx -> tx.clientTransactions().get(ALICE, "PHONE", path + "x")).isEmpty());

        write(tx -> tx.devices().delete(ALICE, "PHONE"));
        assertTrue(store().read(tx -> tx.clientTransactions().get(ALICE, "PHONE", path)).isEmpty());
    }
}
