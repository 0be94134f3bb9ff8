package dev.hyphae.node.mailbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyphae.node.identity.NodeIdentity;
import dev.hyphae.transport.libp2p.kad.HyphaeRecord;
import dev.hyphae.transport.libp2p.kad.HyphaeRecordValidator;
import dev.hyphae.transport.libp2p.peer.PrivateKey;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DhtRecordDirectoryTest {
    private final NodeIdentity bob = EnvelopeSealerTest.identity(2);
    private final NodeIdentity carol = EnvelopeSealerTest.identity(3);
    private final String mailbox = EnvelopeSealerTest.identity(4).serverName();
    private final PrivateKey bobKey = PrivateKey.fromSeed(bob.seed());
    private final byte[] bobDhtKey = HyphaeRecord.key(bobKey.peerId(), DhtRecordDirectory.NAME);

    @Test
    void aRecordInTheDhtIsReadBackForItsServerAndPassesTheDhtValidator() throws Exception {
        MailboxRecord record = MailboxRecord.create(bob, List.of(mailbox), 42);
        byte[] value = DhtRecordDirectory.encode(bobKey, record);
        new HyphaeRecordValidator().validate(bobDhtKey, value);
        Optional<MailboxRecord> read = DhtRecordDirectory.decode(bobDhtKey, value, bob.serverName());
        assertEquals(Optional.of(List.of(mailbox)), read.map(MailboxRecord::mailboxes));
        assertEquals(42, read.orElseThrow().ts());
    }

    @Test
    void aValueSignedByAnotherKeyOrAboutAnotherServerIsIgnored() {
        PrivateKey carolKey = PrivateKey.fromSeed(carol.seed());
        byte[] carolsValue = DhtRecordDirectory.encode(carolKey, MailboxRecord.create(carol, List.of(mailbox), 1));
        assertTrue(DhtRecordDirectory.decode(bobDhtKey, carolsValue, bob.serverName()).isEmpty());
        // Bob's outer signature around a record that Carol signed about herself.
        byte[] wrapped = HyphaeRecord.sign(bobKey, DhtRecordDirectory.NAME, 1,
                MailboxRecord.create(carol, List.of(mailbox), 1).json().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertTrue(DhtRecordDirectory.decode(bobDhtKey, wrapped, bob.serverName()).isEmpty());
    }
}
