package dev.hyphae.transport.libp2p.noise;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyphae.transport.libp2p.EmbeddedPipe;
import dev.hyphae.transport.libp2p.NoLeaks;
import dev.hyphae.transport.libp2p.peer.PeerId;
import dev.hyphae.transport.libp2p.peer.PrivateKey;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(NoLeaks.class)
class NoiseHandshakeHandlerTest {

    private static final List<String> YAMUX = List.of("/yamux/1.0.0");
    private final SecureRandom random = new SecureRandom();
    private final PrivateKey dialerKey = PrivateKey.generate(random);
    private final PrivateKey listenerKey = PrivateKey.generate(random);

    private NoiseHandshakeHandler handler(boolean initiator, PrivateKey key, Optional<PeerId> expected,
                                          List<String> muxers) {
        return new NoiseHandshakeHandler(initiator, key, expected, muxers, (ctx, session) -> { }, random);
    }

    @Test
    void twoPeersAuthenticateEachOtherAndAgreeOnYamuxEarly() {
        NoiseHandshakeHandler d = handler(true, dialerKey, Optional.of(listenerKey.peerId()), YAMUX);
        NoiseHandshakeHandler l = handler(false, listenerKey, Optional.empty(), YAMUX);
        EmbeddedChannel dialer = new EmbeddedChannel(d);
        EmbeddedChannel listener = new EmbeddedChannel(l);
        EmbeddedPipe.shuttle(dialer, listener);

        SecureSession ds = d.result().join();
        SecureSession ls = l.result().join();
        assertEquals(listenerKey.peerId(), ds.remotePeer());
        assertEquals(dialerKey.peerId(), ls.remotePeer());
        assertEquals(listenerKey.publicKey(), ds.remoteIdentityKey());
        assertEquals(Optional.of("/yamux/1.0.0"), ds.earlyMuxer());
        assertEquals(Optional.of("/yamux/1.0.0"), ls.earlyMuxer());
        assertNull(dialer.pipeline().get(NoiseHandshakeHandler.class));
        assertTrue(dialer.pipeline().get(NoiseTransportCodec.class) != null);

        // more than one transport message's worth, both ways
        byte[] big = new byte[NoiseTransportCodec.MAX_PLAINTEXT * 2 + 5];
        random.nextBytes(big);
        dialer.writeOutbound(Unpooled.wrappedBuffer(big));
        listener.writeOutbound(Unpooled.wrappedBuffer(new byte[] {1, 2, 3}));
        EmbeddedPipe.shuttle(dialer, listener);
        assertArrayEquals(big, readAll(listener));
        assertArrayEquals(new byte[] {1, 2, 3}, readAll(dialer));
        assertFalse(dialer.finishAndReleaseAll());
        assertFalse(listener.finishAndReleaseAll());
    }

    @Test
    void muxerIsLeftToMultistreamWhenOneSideSendsNoList() {
        NoiseHandshakeHandler d = handler(true, dialerKey, Optional.empty(), List.of());
        NoiseHandshakeHandler l = handler(false, listenerKey, Optional.empty(), YAMUX);
        EmbeddedChannel dialer = new EmbeddedChannel(d);
        EmbeddedChannel listener = new EmbeddedChannel(l);
        EmbeddedPipe.shuttle(dialer, listener);
        assertEquals(Optional.empty(), d.result().join().earlyMuxer());
        assertEquals(Optional.empty(), l.result().join().earlyMuxer());
        dialer.finishAndReleaseAll();
        listener.finishAndReleaseAll();
    }

    @Test
    void dialerClosesWhenTheListenerIsNotTheExpectedPeer() {
        PeerId someoneElse = PrivateKey.generate(random).peerId();
        NoiseHandshakeHandler d = handler(true, dialerKey, Optional.of(someoneElse), YAMUX);
        NoiseHandshakeHandler l = handler(false, listenerKey, Optional.empty(), YAMUX);
        EmbeddedChannel dialer = new EmbeddedChannel(d);
        EmbeddedChannel listener = new EmbeddedChannel(l);
        EmbeddedPipe.shuttle(dialer, listener);
        assertTrue(d.result().isCompletedExceptionally());
        assertFalse(dialer.isOpen());
        assertFalse(l.result().isDone() && !l.result().isCompletedExceptionally());
        dialer.checkException();
        dialer.finishAndReleaseAll();
        listener.finishAndReleaseAll();
    }

    @Test
    void bytesArrivingWithTheLastHandshakeMessageReachTheApplication() {
        NoiseHandshakeHandler d = new NoiseHandshakeHandler(true, dialerKey, Optional.empty(), YAMUX,
            (ctx, session) -> ctx.channel().writeAndFlush(Unpooled.wrappedBuffer(new byte[] {7, 7})), random);
        NoiseHandshakeHandler l = handler(false, listenerKey, Optional.empty(), YAMUX);
        EmbeddedChannel dialer = new EmbeddedChannel(d);
        EmbeddedChannel listener = new EmbeddedChannel(l);
        listener.writeInbound((ByteBuf) dialer.readOutbound());
        dialer.writeInbound((ByteBuf) listener.readOutbound());
        // msg3 and the first transport message, delivered as one segment
        ByteBuf both = Unpooled.directBuffer();
        for (Object m = dialer.readOutbound(); m != null; m = dialer.readOutbound()) {
            both.writeBytes((ByteBuf) m);
            ((ByteBuf) m).release();
        }
        listener.writeInbound(both);
        assertTrue(l.result().isDone());
        assertArrayEquals(new byte[] {7, 7}, readAll(listener));
        dialer.finishAndReleaseAll();
        listener.finishAndReleaseAll();
    }

    @Test
    void fuzzedHandshakeAndTransportInputCloseTheChannelWithoutExceptionOrLeak() {
        Random fuzz = new Random(5);
        // a genuine transcript to mutate: msg1 to the responder, msg2 to the initiator
        NoiseHandshakeHandler d0 = handler(true, dialerKey, Optional.empty(), YAMUX);
        EmbeddedChannel dialer0 = new EmbeddedChannel(d0);
        ByteBuf m1buf = dialer0.readOutbound();
        byte[] msg1 = ByteBufUtil.getBytes(m1buf);
        m1buf.release();
        EmbeddedChannel listener0 = new EmbeddedChannel(handler(false, listenerKey, Optional.empty(), YAMUX));
        listener0.writeInbound(Unpooled.wrappedBuffer(msg1));
        ByteBuf m2buf = listener0.readOutbound();
        byte[] msg2 = ByteBufUtil.getBytes(m2buf);
        m2buf.release();
        dialer0.finishAndReleaseAll();
        listener0.finishAndReleaseAll();

        for (int i = 0; i < 1_500; i++) {
            boolean initiator = fuzz.nextBoolean();
            byte[] input = mutate(fuzz, initiator ? msg2 : msg1);
            EmbeddedChannel ch = new EmbeddedChannel(handler(initiator, dialerKey, Optional.empty(), YAMUX));
            List<ByteBuf> sent = feed(fuzz, ch, input);
            ch.checkException();
            ch.finishAndReleaseAll();
            sent.forEach(b -> assertEquals(0, b.refCnt(), "input buffer leaked"));
        }

        HandshakeState.TransportCiphers ciphers = sessionCiphers();
        for (int i = 0; i < 1_500; i++) {
            byte[] input = new byte[fuzz.nextInt(200)];
            fuzz.nextBytes(input);
            if (input.length >= 2 && fuzz.nextBoolean()) {
                input[0] = 0;
                input[1] = (byte) (input.length - 2); // plausible length, garbage ciphertext
            }
            EmbeddedChannel ch = new EmbeddedChannel(new NoiseTransportCodec(ciphers));
            List<ByteBuf> sent = feed(fuzz, ch, input);
            ch.checkException();
            assertNull(ch.readInbound(), "garbage must not decrypt");
            ch.finishAndReleaseAll();
            sent.forEach(b -> assertEquals(0, b.refCnt(), "input buffer leaked"));
        }
    }

    @Test
    void fuzzedHandshakePayloadsAreRejectedWithNoiseExceptionOrVerifyUnchanged() {
        Random fuzz = new Random(9);
        DhKeyPair staticKey = DhKeyPair.generate(random);
        byte[] valid = HandshakePayload.encode(dialerKey, staticKey.publicKey(), YAMUX);
        HandshakePayload expected = HandshakePayload.verify(valid, staticKey.publicKey());
        assertEquals(dialerKey.peerId(), expected.peerId());
        assertEquals(YAMUX, expected.streamMuxers());
        for (int i = 0; i < 5_000; i++) {
            byte[] input = mutate(fuzz, valid);
            try {
                HandshakePayload p = HandshakePayload.verify(input, staticKey.publicKey());
                // protobuf tolerates some changes (e.g. in an unknown field); identity must hold
                assertEquals(dialerKey.peerId(), p.peerId());
            } catch (NoiseException expectedRejection) {
                // rejected with a reason
            }
        }
        byte[] otherStatic = DhKeyPair.generate(random).publicKey();
        org.junit.jupiter.api.Assertions.assertThrows(NoiseException.class,
            () -> HandshakePayload.verify(valid, otherStatic));
    }

    private HandshakeState.TransportCiphers sessionCiphers() {
        HandshakeState i = new HandshakeState(true, DhKeyPair.generate(random), () -> DhKeyPair.generate(random));
        HandshakeState r = new HandshakeState(false, DhKeyPair.generate(random), () -> DhKeyPair.generate(random));
        r.readMessage(i.writeMessage(new byte[0]));
        i.readMessage(r.writeMessage(new byte[0]));
        r.readMessage(i.writeMessage(new byte[0]));
        return r.split();
    }

    private static byte[] mutate(Random fuzz, byte[] valid) {
        if (fuzz.nextInt(3) == 0) {
            byte[] random = new byte[fuzz.nextInt(300)];
            fuzz.nextBytes(random);
            return random;
        }
        byte[] input = valid.clone();
        for (int f = 0; f < 1 + fuzz.nextInt(3); f++) {
            input[fuzz.nextInt(input.length)] = (byte) fuzz.nextInt(256);
        }
        return fuzz.nextBoolean() ? java.util.Arrays.copyOf(input, fuzz.nextInt(input.length + 1)) : input;
    }

    private static List<ByteBuf> feed(Random fuzz, EmbeddedChannel ch, byte[] input) {
        List<ByteBuf> sent = new ArrayList<>();
        int at = 0;
        while (at < input.length && ch.isOpen()) {
            int n = 1 + fuzz.nextInt(input.length - at);
            ByteBuf chunk = Unpooled.directBuffer(n).writeBytes(input, at, n);
            sent.add(chunk);
            ch.writeInbound(chunk);
            at += n;
        }
        return sent;
    }

    private static byte[] readAll(EmbeddedChannel ch) {
        ByteBuf all = Unpooled.buffer();
        for (Object m = ch.readInbound(); m != null; m = ch.readInbound()) {
            all.writeBytes((ByteBuf) m);
            ((ByteBuf) m).release();
        }
        byte[] out = ByteBufUtil.getBytes(all);
        all.release();
        return out;
    }
}
