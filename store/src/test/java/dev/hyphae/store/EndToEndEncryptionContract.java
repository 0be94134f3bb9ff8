package dev.hyphae.store;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Contract: device keys, one-time and fallback keys, cross-signing keys and signatures, device list
 * changes, the to-device inbox and key backups.
 */
public interface EndToEndEncryptionContract extends StoreFixture {
    String PHONE = "PHONE";

    private void createAliceWithPhone() {
        write(tx -> tx.accounts().create(new Account(ALICE, "hash", 1L, false, false)));
        write(tx -> tx.devices().insert(new Device(ALICE, PHONE, null, null, null)));
    }

    @Test
    default void deviceKeysAreStoredReplacedAndDeletedWithTheDevice() {
        createAliceWithPhone();
        write(tx -> tx.devices().insert(new Device(ALICE, "LAPTOP", null, null, null)));
        write(tx -> {
            tx.deviceKeys().put(ALICE, PHONE, "{\"v\":1}");
            tx.deviceKeys().put(ALICE, "LAPTOP", "{\"l\":1}");
            tx.deviceKeys().put(ALICE, PHONE, "{\"v\":2}");
            return null;
        });
        assertEquals(Optional.of("{\"v\":2}"), store().read(tx -> tx.deviceKeys().get(ALICE, PHONE)));
        assertEquals(Map.of("LAPTOP", "{\"l\":1}", PHONE, "{\"v\":2}"), store().read(tx -> tx.deviceKeys().forUser(ALICE)));

        write(tx -> tx.devices().delete(ALICE, PHONE));
        assertTrue(store().read(tx -> tx.deviceKeys().get(ALICE, PHONE)).isEmpty());
    }

    @Test
    default void deviceKeysOfAnUnknownDeviceAreRefused() {
        createAliceWithPhone();
        assertInstanceOf(StoreException.class,
                failureOf(store().write(tx -> {
                    tx.deviceKeys().put(ALICE, "NOPE", "{}");
                    return null;
                })));
    }

    @Test
    default void oneTimeKeysAreCountedPerAlgorithmAndEachIsClaimedOnceOldestFirst() {
        createAliceWithPhone();
        assertTrue(writeFlag(tx -> tx.oneTimeKeys().add(ALICE, PHONE, new OneTimeKey("signed_curve25519:B", "{\"b\":1}"))));
        assertTrue(writeFlag(tx -> tx.oneTimeKeys().add(ALICE, PHONE, new OneTimeKey("signed_curve25519:A", "{\"a\":1}"))));
        assertTrue(writeFlag(tx -> tx.oneTimeKeys().add(ALICE, PHONE, new OneTimeKey("curve25519:C", "\"c\""))));
        assertFalse(writeFlag(tx -> tx.oneTimeKeys().add(ALICE, PHONE, new OneTimeKey("signed_curve25519:A", "{\"x\":1}"))));
        assertEquals(Map.of("curve25519", 1, "signed_curve25519", 2), store().read(tx -> tx.oneTimeKeys().counts(ALICE, PHONE)));

        assertEquals(Optional.of(new OneTimeKey("signed_curve25519:B", "{\"b\":1}")),
                write(tx -> tx.oneTimeKeys().claim(ALICE, PHONE, "signed_curve25519")));
        assertEquals(Optional.of(new OneTimeKey("signed_curve25519:A", "{\"a\":1}")),
                write(tx -> tx.oneTimeKeys().claim(ALICE, PHONE, "signed_curve25519")));
        assertTrue(write(tx -> tx.oneTimeKeys().claim(ALICE, PHONE, "signed_curve25519")).isEmpty());
        assertTrue(store().read(tx -> tx.oneTimeKeys().get(ALICE, PHONE, "signed_curve25519:A")).isEmpty());
        assertEquals(Map.of("curve25519", 1), store().read(tx -> tx.oneTimeKeys().counts(ALICE, PHONE)));
    }

    @Test
    default void fallbackKeyStaysAfterUseAndAReplacementIsUnusedAgain() {
        createAliceWithPhone();
        OneTimeKey first = new OneTimeKey("signed_curve25519:F1", "{\"f\":1}");
        write(tx -> {
            tx.fallbackKeys().put(ALICE, PHONE, first);
            return null;
        });
        assertEquals(Set.of("signed_curve25519"), store().read(tx -> tx.fallbackKeys().unusedAlgorithms(ALICE, PHONE)));

        assertTrue(writeFlag(tx -> tx.fallbackKeys().markUsed(ALICE, PHONE, "signed_curve25519")));
        assertFalse(writeFlag(tx -> tx.fallbackKeys().markUsed(ALICE, PHONE, "curve25519")));
        assertEquals(Optional.of(new FallbackKey(first, true)),
                store().read(tx -> tx.fallbackKeys().get(ALICE, PHONE, "signed_curve25519")));
        assertEquals(Set.of(), store().read(tx -> tx.fallbackKeys().unusedAlgorithms(ALICE, PHONE)));

        write(tx -> {
            tx.fallbackKeys().put(ALICE, PHONE, first);
            return null;
        });
        assertEquals(Set.of(), store().read(tx -> tx.fallbackKeys().unusedAlgorithms(ALICE, PHONE)));

        OneTimeKey second = new OneTimeKey("signed_curve25519:F2", "{\"f\":2}");
        write(tx -> {
            tx.fallbackKeys().put(ALICE, PHONE, second);
            return null;
        });
        assertEquals(Optional.of(new FallbackKey(second, false)),
                store().read(tx -> tx.fallbackKeys().get(ALICE, PHONE, "signed_curve25519")));
    }

    @Test
    default void crossSigningKeysAreKeptPerUsageAndReplaced() {
        write(tx -> {
            tx.crossSigningKeys().put(ALICE, CrossSigningKeys.Usage.MASTER, "{\"m\":1}");
            tx.crossSigningKeys().put(ALICE, CrossSigningKeys.Usage.SELF_SIGNING, "{\"s\":1}");
            tx.crossSigningKeys().put(ALICE, CrossSigningKeys.Usage.MASTER, "{\"m\":2}");
            return null;
        });
        assertEquals(Optional.of("{\"m\":2}"), store().read(tx -> tx.crossSigningKeys().get(ALICE, CrossSigningKeys.Usage.MASTER)));
        assertEquals(Optional.of("{\"s\":1}"),
                store().read(tx -> tx.crossSigningKeys().get(ALICE, CrossSigningKeys.Usage.SELF_SIGNING)));
        assertTrue(store().read(tx -> tx.crossSigningKeys().get(ALICE, CrossSigningKeys.Usage.USER_SIGNING)).isEmpty());
    }

    @Test
    default void keySignaturesAreListedPerTargetKeyAndReplacedPerSignerKey() {
        write(tx -> {
            tx.keySignatures().put(new KeySignature(ALICE, PHONE, ALICE, "ed25519:ssk", "sig1"));
            tx.keySignatures().put(new KeySignature(ALICE, PHONE, "@bob:x", "ed25519:usk", "sig2"));
            tx.keySignatures().put(new KeySignature(ALICE, PHONE, ALICE, "ed25519:ssk", "sig3"));
            tx.keySignatures().put(new KeySignature(ALICE, "OTHER", ALICE, "ed25519:ssk", "sig4"));
            return null;
        });
        assertEquals(List.of(new KeySignature(ALICE, PHONE, "@alice:example.onion", "ed25519:ssk", "sig3"),
                        new KeySignature(ALICE, PHONE, "@bob:x", "ed25519:usk", "sig2")),
                store().read(tx -> tx.keySignatures().onKey(ALICE, PHONE)));
        assertEquals(2, writeCount(tx -> tx.keySignatures().deleteOnKey(ALICE, PHONE)));
        assertEquals(List.of(), store().read(tx -> tx.keySignatures().onKey(ALICE, PHONE)));
        assertEquals(1, store().read(tx -> tx.keySignatures().onKey(ALICE, "OTHER")).size());
    }

    @Test
    default void deviceListChangesReportEachUserOnceAtTheirLatestPosition() {
        assertEquals(0L, (long) store().read(tx -> tx.deviceListChanges().latestPosition()));
        long a1 = write(tx -> tx.deviceListChanges().record(ALICE));
        long b = write(tx -> tx.deviceListChanges().record("@bob:x"));
        long a2 = write(tx -> tx.deviceListChanges().record(ALICE));
        assertTrue(a1 < b && b < a2);
        assertEquals(a2, (long) store().read(tx -> tx.deviceListChanges().latestPosition()));

        assertEquals(Set.of("@bob:x", ALICE), store().read(tx -> tx.deviceListChanges().changedBetween(0, a2)));
        assertEquals(Set.of(ALICE), store().read(tx -> tx.deviceListChanges().changedBetween(b, a2)));
        assertEquals(Set.of("@bob:x"), store().read(tx -> tx.deviceListChanges().changedBetween(a1, b)));
        assertEquals(Set.of(), store().read(tx -> tx.deviceListChanges().changedBetween(a2, a2 + 10)));

        long afterReopen = write(tx -> tx.deviceListChanges().record(ALICE));
        assertTrue(afterReopen > a2, "positions keep increasing when the newest row is replaced");
    }

    @Test
    default void toDeviceInboxDeliversInOrderAndDeletesUpToAcknowledgedPosition() {
        createAliceWithPhone();
        write(tx -> tx.devices().insert(new Device(ALICE, "LAPTOP", null, null, null)));
        long first = write(tx -> tx.toDeviceInbox().add(ALICE, PHONE, "@bob:x", "m.test", "{\"n\":1}"));
        long other = write(tx -> tx.toDeviceInbox().add(ALICE, "LAPTOP", "@bob:x", "m.test", "{\"n\":9}"));
        long second = write(tx -> tx.toDeviceInbox().add(ALICE, PHONE, "@bob:x", "m.test", "{\"n\":2}"));
        assertTrue(first < other && other < second);

        assertEquals(List.of(new ToDeviceMessage(first, "@bob:x", "m.test", "{\"n\":1}"),
                        new ToDeviceMessage(second, "@bob:x", "m.test", "{\"n\":2}")),
                store().read(tx -> tx.toDeviceInbox().after(ALICE, PHONE, 0, 10)));
        assertEquals(1, store().read(tx -> tx.toDeviceInbox().after(ALICE, PHONE, 0, 1)).size());
        assertEquals(List.of(new ToDeviceMessage(second, "@bob:x", "m.test", "{\"n\":2}")),
                store().read(tx -> tx.toDeviceInbox().after(ALICE, PHONE, first, 10)));

        assertEquals(2, writeCount(tx -> tx.toDeviceInbox().deleteUpTo(ALICE, PHONE, second)));
        assertEquals(List.of(), store().read(tx -> tx.toDeviceInbox().after(ALICE, PHONE, 0, 10)));
        assertEquals(1, store().read(tx -> tx.toDeviceInbox().after(ALICE, "LAPTOP", 0, 10)).size());
        assertEquals(second, (long) store().read(tx -> tx.toDeviceInbox().latestPosition()));

        long third = write(tx -> tx.toDeviceInbox().add(ALICE, PHONE, "@bob:x", "m.test", "{\"n\":3}"));
        assertTrue(third > second, "a delivered position is never handed out again");
    }

    @Test
    default void toDeviceInboxSurvivesAReopen() {
        createAliceWithPhone();
        long position = write(tx -> tx.toDeviceInbox().add(ALICE, PHONE, "@bob:x", "m.test", "{}"));
        reopenStore();
        assertEquals(List.of(new ToDeviceMessage(position, "@bob:x", "m.test", "{}")),
                store().read(tx -> tx.toDeviceInbox().after(ALICE, PHONE, 0, 10)));
    }

    @Test
    default void keyBackupVersionsAreNeverReusedAndDeletingOneDropsItsKeys() {
        long v1 = write(tx -> tx.keyBackupVersions().create(ALICE, "alg", "{\"a\":1}"));
        write(tx -> {
            tx.backedUpRoomKeys().put(ALICE, v1, new BackedUpRoomKey(ROOM, "s1", 0, 0, false, "{}"));
            return null;
        });
        long v2 = write(tx -> tx.keyBackupVersions().create(ALICE, "alg", "{\"a\":2}"));
        assertTrue(v2 > v1);
        assertEquals(Optional.of(new KeyBackupVersion(ALICE, v2, "alg", "{\"a\":2}", 0)),
                store().read(tx -> tx.keyBackupVersions().latest(ALICE)));
        assertTrue(store().read(tx -> tx.keyBackupVersions().get("@bob:x", v1)).isEmpty());

        assertTrue(writeFlag(tx -> tx.keyBackupVersions().updateAuthData(ALICE, v2, "{\"a\":3}")));
        assertEquals(1L, (long) write(tx -> tx.keyBackupVersions().bumpEtag(ALICE, v2)));
        assertEquals(new KeyBackupVersion(ALICE, v2, "alg", "{\"a\":3}", 1),
                store().read(tx -> tx.keyBackupVersions().get(ALICE, v2)).orElseThrow());

        assertTrue(writeFlag(tx -> tx.keyBackupVersions().delete(ALICE, v1)));
        assertFalse(writeFlag(tx -> tx.keyBackupVersions().delete(ALICE, v1)));
        assertEquals(0L, (long) store().read(tx -> tx.backedUpRoomKeys().count(ALICE, v1)));
        assertTrue(writeFlag(tx -> tx.keyBackupVersions().delete(ALICE, v2)));
        assertTrue(store().read(tx -> tx.keyBackupVersions().latest(ALICE)).isEmpty());
        long v3 = write(tx -> tx.keyBackupVersions().create(ALICE, "alg", "{}"));
        assertTrue(v3 > v2, "a deleted version number is not handed out again");
    }

    @Test
    default void backedUpRoomKeysAreListedCountedReplacedAndDeletedBySessionRoomOrAll() {
        long v = write(tx -> tx.keyBackupVersions().create(ALICE, "alg", "{}"));
        BackedUpRoomKey a1 = new BackedUpRoomKey("!a:x", "s1", 3, 0, false, "{\"k\":1}");
        BackedUpRoomKey a2 = new BackedUpRoomKey("!a:x", "s2", 0, 1, true, "{\"k\":2}");
        BackedUpRoomKey b1 = new BackedUpRoomKey("!b:x", "s1", 0, 0, false, "{\"k\":3}");
        write(tx -> {
            tx.backedUpRoomKeys().put(ALICE, v, b1);
            tx.backedUpRoomKeys().put(ALICE, v, a2);
            tx.backedUpRoomKeys().put(ALICE, v, new BackedUpRoomKey("!a:x", "s1", 9, 9, false, "{}"));
            tx.backedUpRoomKeys().put(ALICE, v, a1);
            return null;
        });
        assertEquals(List.of(a1, a2, b1), store().read(tx -> tx.backedUpRoomKeys().list(ALICE, v, null)));
        assertEquals(List.of(a1, a2), store().read(tx -> tx.backedUpRoomKeys().list(ALICE, v, "!a:x")));
        assertEquals(Optional.of(a2), store().read(tx -> tx.backedUpRoomKeys().get(ALICE, v, "!a:x", "s2")));
        assertEquals(3L, (long) store().read(tx -> tx.backedUpRoomKeys().count(ALICE, v)));

        assertEquals(1, writeCount(tx -> tx.backedUpRoomKeys().delete(ALICE, v, "!a:x", "s1")));
        assertEquals(1, writeCount(tx -> tx.backedUpRoomKeys().delete(ALICE, v, "!a:x", null)));
        assertEquals(List.of(b1), store().read(tx -> tx.backedUpRoomKeys().list(ALICE, v, null)));
        assertEquals(1, writeCount(tx -> tx.backedUpRoomKeys().delete(ALICE, v, null, null)));
        assertEquals(0L, (long) store().read(tx -> tx.backedUpRoomKeys().count(ALICE, v)));
    }
}
