package dev.hyphae.store;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Contract: metadata of local media, uploaded and pending. */
public interface MediaContract extends StoreFixture {
    String HASH_A = "a".repeat(64);
    String HASH_B = "b".repeat(64);

    private void createAlice() {
        write(tx -> tx.accounts().create(new Account(ALICE, null, 1L, false, false)));
    }

    @Test
    default void uploadedMediaIsReadBackAndSurvivesReopening() {
        createAlice();
        StoredMedia media = StoredMedia.uploaded("abcDEF_123-x", ALICE, "image/png", "cat.png", 42, HASH_A, 1000);
        write(tx -> {
            tx.media().insert(media);
            return null;
        });
        reopenStore();
        assertEquals(Optional.of(media), store().read(tx -> tx.media().get("abcDEF_123-x")));
        assertTrue(store().read(tx -> tx.media().get("other")).isEmpty());
        assertTrue(readFlag(tx -> tx.media().hasContent(HASH_A)));
        assertFalse(readFlag(tx -> tx.media().hasContent(HASH_B)));
    }

    @Test
    default void aTakenMediaIdOrAMissingAccountIsRefused() {
        createAlice();
        write(tx -> {
            tx.media().insert(StoredMedia.uploaded("m1", ALICE, "text/plain", null, 1, HASH_A, 1));
            return null;
        });
        assertInstanceOf(StoreException.class, failureOf(store().write(tx -> {
            tx.media().insert(StoredMedia.uploaded("m1", ALICE, "text/plain", null, 1, HASH_B, 2));
            return null;
        })));
        assertInstanceOf(StoreException.class, failureOf(store().write(tx -> {
            tx.media().insert(StoredMedia.uploaded("m2", "@nobody:x", "text/plain", null, 1, HASH_B, 2));
            return null;
        })));
    }

    @Test
    default void theTotalSizeCountsEveryUploadOfTheUser() {
        createAlice();
        assertEquals(0L, (long) store().read(tx -> tx.media().totalSizeOf(ALICE)));
        write(tx -> {
            tx.media().insert(StoredMedia.uploaded("m1", ALICE, "text/plain", null, 10, HASH_A, 1));
            tx.media().insert(StoredMedia.uploaded("m2", ALICE, "text/plain", null, 15, HASH_A, 1));
            return null;
        });
        assertEquals(25L, (long) store().read(tx -> tx.media().totalSizeOf(ALICE)));
    }

    @Test
    default void pendingMediaIsCompletedOnceAndCountedUntilItExpires() {
        createAlice();
        write(tx -> {
            tx.media().insert(StoredMedia.pending("p1", ALICE, 100, 1_000));
            tx.media().insert(StoredMedia.pending("p2", ALICE, 100, 5_000));
            return null;
        });
        assertEquals(2, (int) store().read(tx -> tx.media().pendingCountOf(ALICE, 500)));
        assertEquals(1, (int) store().read(tx -> tx.media().pendingCountOf(ALICE, 1_000)));
        assertFalse(store().read(tx -> tx.media().get("p1")).orElseThrow().isUploaded());

        assertTrue(writeFlag(tx -> tx.media().complete("p1", "image/png", "a.png", 7, HASH_B)));
        assertFalse(writeFlag(tx -> tx.media().complete("p1", "image/png", "b.png", 8, HASH_A)),
                "content once given is never replaced");
        assertFalse(writeFlag(tx -> tx.media().complete("nope", "image/png", null, 8, HASH_A)));
        assertEquals(StoredMedia.uploaded("p1", ALICE, "image/png", "a.png", 7, HASH_B, 100),
                store().read(tx -> tx.media().get("p1")).orElseThrow());
        assertEquals(1, (int) store().read(tx -> tx.media().pendingCountOf(ALICE, 500)));
    }

    @Test
    default void inconsistentMediaRecordsCannotBeBuilt() {
        assertThrows(IllegalArgumentException.class,
                () -> new StoredMedia("m", ALICE, "text/plain", null, 1, null, 1, null));
        assertThrows(IllegalArgumentException.class,
                () -> StoredMedia.uploaded("m", ALICE, "text/plain", null, 1, "NOTHEX", 1));
        assertThrows(IllegalArgumentException.class,
                () -> StoredMedia.uploaded("m", ALICE, "text/plain", null, -1, HASH_A, 1));
    }
}
