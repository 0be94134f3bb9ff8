package dev.hyphae.transport.libp2p.noise;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

class HandshakeStateTest {

    private final SecureRandom random = new SecureRandom();

    @Test
    void xxHandshakeGivesBothSidesTheSameKeysAndHash() {
        DhKeyPair is = DhKeyPair.generate(random);
        DhKeyPair rs = DhKeyPair.generate(random);
        HandshakeState initiator = new HandshakeState(true, is, () -> DhKeyPair.generate(random));
        HandshakeState responder = new HandshakeState(false, rs, () -> DhKeyPair.generate(random));

        byte[] m1 = initiator.writeMessage(new byte[0]);
        assertEquals(32, m1.length);
        responder.readMessage(m1);
        byte[] m2 = responder.writeMessage(new byte[] {1, 2, 3});
        assertEquals(32 + 48 + 3 + 16, m2.length);
        assertArrayEquals(new byte[] {1, 2, 3}, initiator.readMessage(m2));
        byte[] m3 = initiator.writeMessage(new byte[] {4});
        assertArrayEquals(new byte[] {4}, responder.readMessage(m3));

        assertTrue(initiator.isComplete() && responder.isComplete());
        assertArrayEquals(rs.publicKey(), initiator.remoteStaticKey());
        assertArrayEquals(is.publicKey(), responder.remoteStaticKey());
        assertArrayEquals(initiator.handshakeHash(), responder.handshakeHash());

        HandshakeState.TransportCiphers ic = initiator.split();
        HandshakeState.TransportCiphers rc = responder.split();
        byte[] ct = ic.sender().encryptWithAd(new byte[0], new byte[] {42});
        assertArrayEquals(new byte[] {42}, rc.receiver().decryptWithAd(new byte[0], ct));
        ct = rc.sender().encryptWithAd(new byte[0], new byte[] {43});
        assertArrayEquals(new byte[] {43}, ic.receiver().decryptWithAd(new byte[0], ct));
    }

    @Test
    void tamperedSecondMessageFailsAuthentication() {
        HandshakeState initiator = new HandshakeState(true, DhKeyPair.generate(random), () -> DhKeyPair.generate(random));
        HandshakeState responder = new HandshakeState(false, DhKeyPair.generate(random), () -> DhKeyPair.generate(random));
        responder.readMessage(initiator.writeMessage(new byte[0]));
        byte[] m2 = responder.writeMessage(new byte[0]);
        m2[40] ^= 1;
        assertThrows(NoiseException.class, () -> initiator.readMessage(m2));
    }

    @Test
    void shortMessagesAreRejected() {
        HandshakeState responder = new HandshakeState(false, DhKeyPair.generate(random), () -> DhKeyPair.generate(random));
        assertThrows(NoiseException.class, () -> responder.readMessage(new byte[31]));
    }
}
