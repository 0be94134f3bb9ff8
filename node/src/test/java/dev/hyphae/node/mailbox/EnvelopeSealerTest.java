package dev.hyphae.node.mailbox;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyphae.node.identity.NodeIdentity;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class EnvelopeSealerTest {
    static NodeIdentity identity(int n) {
        byte[] seed = new byte[32];
        seed[31] = (byte) n;
        seed[0] = (byte) (n * 7);
        return NodeIdentity.fromSeed(seed);
    }

    private final NodeIdentity alice = identity(1);
    private final NodeIdentity bob = identity(2);
    private final NodeIdentity carol = identity(3);
    private final EnvelopeSealer fromAlice = new EnvelopeSealer(alice, new SecureRandom());
    private final EnvelopeSealer atBob = new EnvelopeSealer(bob, new SecureRandom());

    @Test
    void x25519KeysDerivedFromBothHalvesOfAnEd25519KeyMatch() {
        for (int n = 1; n < 20; n++) {
            NodeIdentity id = identity(n);
            assertArrayEquals(MailboxKeys.publicKeyOfPrivate(MailboxKeys.privateKey(id.seed())),
                    MailboxKeys.publicKey(id.publicKey()));
        }
    }

    @Test
    void theRecipientOpensWhatWasSealedToItAndLearnsTheSender() {
        byte[] payload = "{\"pdus\":[]}".getBytes(StandardCharsets.UTF_8);
        byte[] envelope = fromAlice.seal(bob.serverName(), payload);
        assertEquals(4096, envelope.length);
        OpenedEnvelope opened = atBob.open(envelope);
        assertEquals(alice.serverName(), opened.sender());
        assertArrayEquals(payload, opened.payload());
        assertEquals(bob.serverName(), EnvelopeHeader.parse(envelope).recipient());
    }

    @Test
    void theEnvelopeHoldsNeitherTheSenderKeyNorThePayloadInTheClear() {
        byte[] payload = "a secret message that must not show".getBytes(StandardCharsets.UTF_8);
        byte[] envelope = fromAlice.seal(bob.serverName(), payload);
        assertFalse(contains(envelope, payload));
        assertFalse(contains(envelope, alice.publicKey()));
        assertFalse(contains(envelope, alice.serverName().getBytes(StandardCharsets.US_ASCII)));
        assertTrue(contains(envelope, bob.publicKey()));
    }

    @Test
    void sealingTheSamePayloadTwiceGivesDifferentEnvelopes() {
        byte[] payload = new byte[10];
        assertFalse(Arrays.equals(fromAlice.seal(bob.serverName(), payload), fromAlice.seal(bob.serverName(), payload)));
    }

    @Test
    void envelopesComeOnlyInTheFixedSizes() {
        assertEquals(4096, fromAlice.seal(bob.serverName(), new byte[4096 - 136]).length);
        assertEquals(32 * 1024, fromAlice.seal(bob.serverName(), new byte[4096 - 135]).length);
        assertEquals(256 * 1024, fromAlice.seal(bob.serverName(), new byte[100_000]).length);
        assertEquals(256 * 1024, fromAlice.seal(bob.serverName(), new byte[EnvelopeSealer.maxPayload()]).length);
        IllegalArgumentException tooBig = assertThrows(IllegalArgumentException.class,
                () -> fromAlice.seal(bob.serverName(), new byte[EnvelopeSealer.maxPayload() + 1]));
        assertTrue(tooBig.getMessage().contains("larger than an envelope holds"));
    }

    @Test
    void anotherNodeCannotOpenAnEnvelopeNotAddressedToIt() {
        byte[] envelope = fromAlice.seal(bob.serverName(), new byte[5]);
        EnvelopeSealer atCarol = new EnvelopeSealer(carol, new SecureRandom());
        assertThrows(IllegalArgumentException.class, () -> atCarol.open(envelope));
        // Even with the recipient field rewritten to Carol, the keys do not match.
        byte[] readdressed = envelope.clone();
        System.arraycopy(carol.publicKey(), 0, readdressed, EnvelopeHeader.RECIPIENT_OFFSET, 32);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> atCarol.open(readdressed));
        assertTrue(e.getMessage().contains("does not open"));
    }

    @Test
    void aTamperedEnvelopeIsRefused() {
        byte[] envelope = fromAlice.seal(bob.serverName(), new byte[5]);
        for (int offset : new int[] {40, 80, 200, envelope.length - 1}) {
            byte[] tampered = envelope.clone();
            tampered[offset] ^= 1;
            assertThrows(IllegalArgumentException.class, () -> atBob.open(tampered), "offset " + offset);
        }
    }

    @Test
    void garbageAndWrongSizesAreRefusedWithAReason() {
        byte[] garbage = new byte[4096];
        new SecureRandom().nextBytes(garbage);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> atBob.open(garbage)).getMessage()
                .contains("HMB1"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> EnvelopeHeader.parse(new byte[4000]))
                .getMessage().contains("one of"));
        byte[] envelope = fromAlice.seal(bob.serverName(), new byte[5]);
        byte[] lowOrder = envelope.clone();
        Arrays.fill(lowOrder, EnvelopeHeader.EPHEMERAL_OFFSET, EnvelopeHeader.SENDER_OFFSET, (byte) 0);
        assertThrows(IllegalArgumentException.class, () -> atBob.open(lowOrder));
    }

    @Test
    void paddingRoundTripsAndRefusesBadFrames() {
        byte[] frame = PaddedSizes.pad(new byte[] {1, 2, 3}, 64);
        assertEquals(64, frame.length);
        assertArrayEquals(new byte[] {1, 2, 3}, PaddedSizes.unpad(frame));
        byte[] nonZero = frame.clone();
        nonZero[63] = 1;
        assertThrows(IllegalArgumentException.class, () -> PaddedSizes.unpad(nonZero));
        byte[] badLength = frame.clone();
        badLength[0] = 0x7f;
        assertThrows(IllegalArgumentException.class, () -> PaddedSizes.unpad(badLength));
        assertThrows(IllegalArgumentException.class, () -> PaddedSizes.pad(new byte[61], 64));
        assertEquals(32 * 1024, PaddedSizes.bucketFor(5000, PaddedSizes.ANSWER_SIZES).getAsInt());
        assertTrue(PaddedSizes.bucketFor(2_000_000, PaddedSizes.ANSWER_SIZES).isEmpty());
    }

    static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
