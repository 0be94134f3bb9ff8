package dev.hyphae.node.mailbox;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyphae.node.identity.NodeIdentity;
import dev.hyphae.store.Store;
import dev.hyphae.store.sqlite.SqliteStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MailboxServiceTest {
    static final long T0 = 1_800_000_000_000L;

    @TempDir
    Path directory;
    private Store store;
    private final AtomicLong now = new AtomicLong(T0);
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(now.get());
        }
    };
    private final NodeIdentity alice = EnvelopeSealerTest.identity(1);
    private final NodeIdentity bob = EnvelopeSealerTest.identity(2);
    private final NodeIdentity carol = EnvelopeSealerTest.identity(3);
    private final SecureRandom random = new SecureRandom();
    private final EnvelopeSealer fromAlice = new EnvelopeSealer(alice, random);
    private MailboxService mailbox;

    @BeforeEach
    void open() {
        store = SqliteStore.openInDirectory(directory);
        mailbox = new MailboxService(store, MailboxServeSettings.defaults().withQuota(3, 1_000_000)
                .withExpiry(Duration.ofDays(1)), clock);
    }

    @AfterEach
    void close() {
        store.close();
    }

    private byte[] fetchRequest(NodeIdentity who, long ts, List<byte[]> delete) {
        byte[] nonce = new byte[16];
        random.nextBytes(nonce);
        return FetchRequest.create(who, ts, nonce, delete);
    }

    private FetchAnswer fetch(NodeIdentity who, List<byte[]> delete) {
        byte[] answer = mailbox.fetch(fetchRequest(who, now.get(), delete));
        assertTrue(PaddedSizes.ANSWER_SIZES.contains(answer.length), "answer size " + answer.length);
        return FetchAnswer.decode(answer);
    }

    private byte[] sealToBob(String text) {
        return fromAlice.seal(bob.serverName(), text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aRegisteredRecipientFetchesItsEnvelopesInOrderAndDeletesThem() {
        assertEquals(0, fetch(bob, List.of()).envelopes().size()); // registers Bob
        mailbox.deposit(sealToBob("one"));
        mailbox.deposit(sealToBob("two"));
        FetchAnswer answer = fetch(bob, List.of());
        assertEquals(2, answer.envelopes().size());
        EnvelopeSealer atBob = new EnvelopeSealer(bob, random);
        assertEquals("one", new String(atBob.open(answer.envelopes().get(0).envelope()).payload(), StandardCharsets.UTF_8));
        assertEquals("two", new String(atBob.open(answer.envelopes().get(1).envelope()).payload(), StandardCharsets.UTF_8));
        FetchAnswer after = fetch(bob, answer.envelopes().stream().map(FetchAnswer.Entry::id).toList());
        assertEquals(0, after.envelopes().size());
        assertEquals(0, after.remaining());
        assertEquals(4096, mailbox.fetch(fetchRequest(bob, now.get(), List.of())).length);
    }

    @Test
    void aRestartedMailboxHandsOutNoDeletedEnvelopeAgainAndRefusesItsRedeposit() {
        fetch(bob, List.of());
        byte[] deleted = sealToBob("deleted");
        mailbox.deposit(deleted);
        mailbox.deposit(sealToBob("kept"));
        FetchAnswer first = fetch(bob, List.of());
        fetch(bob, List.of(first.envelopes().get(0).id()));

        store.close();
        store = SqliteStore.openInDirectory(directory);
        mailbox = new MailboxService(store, MailboxServeSettings.defaults().withQuota(3, 1_000_000)
                .withExpiry(Duration.ofDays(1)), clock);

        FetchAnswer afterRestart = fetch(bob, List.of());
        assertEquals(1, afterRestart.envelopes().size());
        assertEquals("kept", new String(new EnvelopeSealer(bob, random).open(afterRestart.envelopes().get(0).envelope())
                .payload(), StandardCharsets.UTF_8));
        MailboxRefusal again = assertThrows(MailboxRefusal.class, () -> mailbox.deposit(deleted));
        assertEquals(409, again.status());
    }

    @Test
    void anEnvelopeForANodeWithoutAMailboxHereIsRefused() {
        MailboxRefusal refusal = assertThrows(MailboxRefusal.class, () -> mailbox.deposit(sealToBob("x")));
        assertEquals(404, refusal.status());
        assertEquals(MailboxRefusal.NO_MAILBOX, refusal.errcode());
    }

    @Test
    void garbageAndOversizedBodiesAreRefusedWithoutHarmingStoredEnvelopes() {
        fetch(bob, List.of());
        mailbox.deposit(sealToBob("kept"));
        byte[] garbage = new byte[4096];
        random.nextBytes(garbage);
        assertEquals(400, assertThrows(MailboxRefusal.class, () -> mailbox.deposit(garbage)).status());
        assertEquals(400, assertThrows(MailboxRefusal.class, () -> mailbox.deposit(new byte[100])).status());
        assertEquals(413, assertThrows(MailboxRefusal.class, () -> mailbox.deposit(new byte[300 * 1024])).status());
        assertEquals(400, assertThrows(MailboxRefusal.class, () -> mailbox.fetch(garbage)).status());
        assertEquals(400, assertThrows(MailboxRefusal.class, () -> mailbox.fetch(new byte[10])).status());
        assertEquals(1, fetch(bob, List.of()).envelopes().size());
    }

    @Test
    void aReplayedEnvelopeIsRefusedBeforeAndAfterItWasFetched() {
        fetch(bob, List.of());
        byte[] envelope = sealToBob("once");
        mailbox.deposit(envelope);
        assertEquals(409, assertThrows(MailboxRefusal.class, () -> mailbox.deposit(envelope)).status());
        FetchAnswer answer = fetch(bob, List.of());
        fetch(bob, List.of(answer.envelopes().get(0).id()));
        MailboxRefusal afterFetch = assertThrows(MailboxRefusal.class, () -> mailbox.deposit(envelope));
        assertEquals(MailboxRefusal.REPLAYED, afterFetch.errcode());
        assertEquals(0, fetch(bob, List.of()).envelopes().size());
    }

    @Test
    void aReplayedOrStaleFetchRequestIsRefused() {
        byte[] request = fetchRequest(bob, now.get(), List.of());
        mailbox.fetch(request);
        assertEquals(401, assertThrows(MailboxRefusal.class, () -> mailbox.fetch(request)).status());
        byte[] old = fetchRequest(bob, now.get() - Duration.ofMinutes(11).toMillis(), List.of());
        assertEquals(401, assertThrows(MailboxRefusal.class, () -> mailbox.fetch(old)).status());
    }

    @Test
    void aFetchSignedByAnotherKeyIsRefusedAndCannotDeleteOthersEnvelopes() {
        fetch(bob, List.of());
        mailbox.deposit(sealToBob("mine"));
        byte[] id = fetch(bob, List.of()).envelopes().get(0).id();
        // Carol signs a request naming Bob as recipient: the signature does not match Bob's key.
        byte[] forged = FetchRequest.create(carol, now.get(), new byte[16], List.of(id));
        String text = new String(PaddedSizes.unpad(forged), StandardCharsets.UTF_8)
                .replace(carol.serverName(), bob.serverName());
        byte[] rewritten = PaddedSizes.pad(text.getBytes(StandardCharsets.UTF_8), PaddedSizes.FETCH_REQUEST_SIZE);
        assertEquals(401, assertThrows(MailboxRefusal.class, () -> mailbox.fetch(rewritten)).status());
        // Carol's own fetch deletes nothing of Bob's.
        fetch(carol, List.of(id));
        assertEquals(1, fetch(bob, List.of()).envelopes().size());
    }

    @Test
    void aFullMailboxSaysSoAndAcceptsAgainOnceFetched() {
        fetch(bob, List.of());
        for (int i = 0; i < 3; i++) {
            mailbox.deposit(sealToBob("m" + i));
        }
        MailboxRefusal full = assertThrows(MailboxRefusal.class, () -> mailbox.deposit(sealToBob("m3")));
        assertEquals(507, full.status());
        assertEquals(MailboxRefusal.MAILBOX_FULL, full.errcode());
        FetchAnswer answer = fetch(bob, List.of());
        fetch(bob, answer.envelopes().stream().map(FetchAnswer.Entry::id).toList());
        mailbox.deposit(sealToBob("m3"));
    }

    @Test
    void unfetchedEnvelopesExpire() {
        fetch(bob, List.of());
        mailbox.deposit(sealToBob("old"));
        now.addAndGet(Duration.ofDays(1).plusHours(1).toMillis());
        mailbox.deposit(sealToBob("new"));
        FetchAnswer answer = fetch(bob, List.of());
        assertEquals(1, answer.envelopes().size());
        assertArrayEquals("new".getBytes(StandardCharsets.UTF_8),
                new EnvelopeSealer(bob, random).open(answer.envelopes().get(0).envelope()).payload());
    }

    @Test
    void onlyAllowedRecipientsMayRegister() {
        mailbox = new MailboxService(store, MailboxServeSettings.defaults()
                .withAllowedRecipients(Set.of(bob.serverName())), clock);
        assertEquals(403, assertThrows(MailboxRefusal.class, () -> fetch(carol, List.of())).status());
        fetch(bob, List.of());
    }
}
