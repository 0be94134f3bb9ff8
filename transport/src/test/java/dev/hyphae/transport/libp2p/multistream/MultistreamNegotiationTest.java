package dev.hyphae.transport.libp2p.multistream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyphae.transport.libp2p.EmbeddedPipe;
import dev.hyphae.transport.libp2p.NoLeaks;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(NoLeaks.class)
class MultistreamNegotiationTest {

    private final List<String> dialerSelected = new ArrayList<>();
    private final List<String> listenerSelected = new ArrayList<>();

    private static ProtocolSelected record(List<String> into) {
        return (ctx, protocol) -> {
            into.add(protocol);
            ctx.pipeline().addAfter(ctx.name(), "app", new ChannelInboundHandlerAdapter());
        };
    }

    private static ByteBuf messages(String... m) {
        return MultistreamMessages.encode(Unpooled.buffer().alloc(), m);
    }

    @Test
    void dialerSendsHeaderAndFirstProposalInOneWriteBeforeHearingAnything() {
        EmbeddedChannel dialer = new EmbeddedChannel(new MultistreamDialer(List.of("/noise"), record(dialerSelected)));
        ByteBuf first = dialer.readOutbound();
        assertEquals("132f6d756c746973747265616d2f312e302e300a072f6e6f6973650a", ByteBufUtil.hexDump(first));
        first.release();
        assertNull(dialer.readOutbound());
        dialer.finishAndReleaseAll();
    }

    @Test
    void dialerAndListenerAgreeOnTheFirstSupportedProposal() {
        MultistreamDialer d = new MultistreamDialer(List.of("/tls/1.0.0", "/noise"), record(dialerSelected));
        MultistreamListener l = new MultistreamListener(List.of("/noise", "/yamux/1.0.0"), record(listenerSelected));
        EmbeddedChannel dialer = new EmbeddedChannel(d);
        EmbeddedChannel listener = new EmbeddedChannel(l);
        EmbeddedPipe.shuttle(dialer, listener);
        assertEquals(List.of("/noise"), dialerSelected);
        assertEquals(List.of("/noise"), listenerSelected);
        assertEquals("/noise", d.result().join());
        assertEquals("/noise", l.result().join());
        assertNull(dialer.pipeline().get(MultistreamDialer.class));
        assertNull(listener.pipeline().get(MultistreamListener.class));
        assertFalse(dialer.finishAndReleaseAll());
        assertFalse(listener.finishAndReleaseAll());
    }

    @Test
    void dataArrivingWithTheProposalIsPassedToTheSelectedProtocol() {
        EmbeddedChannel listener = new EmbeddedChannel(new MultistreamListener(List.of("/ipfs/ping/1.0.0"), record(listenerSelected)));
        ByteBuf in = messages(MultistreamMessages.PROTOCOL_ID, "/ipfs/ping/1.0.0");
        in.writeBytes("payload".getBytes(StandardCharsets.US_ASCII));
        listener.writeInbound(in);
        assertEquals(List.of("/ipfs/ping/1.0.0"), listenerSelected);
        ByteBuf passed = listener.readInbound();
        assertEquals("payload", passed.toString(StandardCharsets.US_ASCII));
        passed.release();
        ByteBuf answer = listener.readOutbound();
        ByteBuf expected = messages(MultistreamMessages.PROTOCOL_ID);
        assertEquals(expected, answer);
        answer.release();
        expected.release();
        answer = listener.readOutbound();
        expected = messages("/ipfs/ping/1.0.0");
        assertEquals(expected, answer);
        answer.release();
        expected.release();
        assertEquals(0, in.refCnt());
        listener.finishAndReleaseAll();
    }

    @Test
    void dialerFailsAndClosesWhenEveryProposalIsRefused() {
        MultistreamDialer d = new MultistreamDialer(List.of("/a", "/b"), record(dialerSelected));
        MultistreamListener l = new MultistreamListener(List.of("/c"), record(listenerSelected));
        EmbeddedChannel dialer = new EmbeddedChannel(d);
        EmbeddedChannel listener = new EmbeddedChannel(l);
        EmbeddedPipe.shuttle(dialer, listener);
        assertTrue(d.result().isCompletedExceptionally());
        assertFalse(dialer.isOpen());
        assertTrue(dialerSelected.isEmpty());
        dialer.checkException();
        dialer.finishAndReleaseAll();
        listener.finishAndReleaseAll();
    }

    @Test
    void optimisticDialerLetsTheProtocolWriteRightAfterTheProposalAndStepsAsideOnAgreement() {
        MultistreamDialer d = MultistreamDialer.optimistic("/http/1.1", record(dialerSelected));
        EmbeddedChannel dialer = new EmbeddedChannel(d);
        assertEquals(List.of("/http/1.1"), dialerSelected, "installed before any answer");
        assertFalse(d.result().isDone());
        dialer.writeOutbound(Unpooled.copiedBuffer("request", StandardCharsets.US_ASCII));
        MultistreamListener l = new MultistreamListener(List.of("/http/1.1"), record(listenerSelected));
        EmbeddedChannel listener = new EmbeddedChannel(l);

        EmbeddedPipe.shuttle(dialer, listener);

        assertEquals("/http/1.1", d.result().join());
        assertNull(dialer.pipeline().get(MultistreamDialer.class));
        ByteBuf request = listener.readInbound();
        assertEquals("request", request.toString(StandardCharsets.US_ASCII));
        request.release();
        listener.writeOutbound(Unpooled.copiedBuffer("response", StandardCharsets.US_ASCII));
        EmbeddedPipe.shuttle(dialer, listener);
        ByteBuf response = dialer.readInbound();
        assertEquals("response", response.toString(StandardCharsets.US_ASCII));
        response.release();
        assertFalse(dialer.finishAndReleaseAll());
        assertFalse(listener.finishAndReleaseAll());
    }

    @Test
    void optimisticDialerClosesTheStreamWhenTheListenerRefuses() {
        MultistreamDialer d = MultistreamDialer.optimistic("/http/1.1", record(dialerSelected));
        EmbeddedChannel dialer = new EmbeddedChannel(d);
        EmbeddedChannel listener = new EmbeddedChannel(new MultistreamListener(List.of("/other"), record(listenerSelected)));

        EmbeddedPipe.shuttle(dialer, listener);

        assertTrue(d.result().isCompletedExceptionally());
        assertFalse(dialer.isOpen(), "the protocol's handlers see the stream end");
        assertTrue(listenerSelected.isEmpty());
        dialer.checkException();
        dialer.finishAndReleaseAll();
        listener.finishAndReleaseAll();
    }

    @Test
    void listenerAnswersLsWithTheJsLayout() {
        EmbeddedChannel listener = new EmbeddedChannel(new MultistreamListener(List.of("/a", "/bb"), record(listenerSelected)));
        listener.writeInbound(messages(MultistreamMessages.PROTOCOL_ID, MultistreamMessages.LS));
        ((ByteBuf) listener.readOutbound()).release();
        ByteBuf ls = listener.readOutbound();
        // 0a = body length 10; 03 "/a\n"; 04 "/bb\n"; final "\n"
        assertEquals("0a032f610a042f62620a0a", ByteBufUtil.hexDump(ls));
        ls.release();
        assertTrue(listener.isOpen());
        listener.finishAndReleaseAll();
    }

    @Test
    void negotiationThatDoesNotFinishInTimeClosesTheChannel() {
        MultistreamListener l = new MultistreamListener(List.of("/a"), record(listenerSelected),
            java.time.Duration.ofSeconds(10));
        EmbeddedChannel listener = new EmbeddedChannel(l);
        listener.writeInbound(messages(MultistreamMessages.PROTOCOL_ID));
        listener.advanceTimeBy(9, java.util.concurrent.TimeUnit.SECONDS);
        listener.runScheduledPendingTasks();
        assertTrue(listener.isOpen());
        listener.advanceTimeBy(2, java.util.concurrent.TimeUnit.SECONDS);
        listener.runScheduledPendingTasks();
        assertFalse(listener.isOpen());
        assertTrue(l.result().isCompletedExceptionally());
        listener.finishAndReleaseAll();
    }

    @Test
    void nameLongerThan1024BytesClosesTheChannel() {
        MultistreamListener l = new MultistreamListener(List.of("/a"), record(listenerSelected));
        EmbeddedChannel listener = new EmbeddedChannel(l);
        ByteBuf in = messages(MultistreamMessages.PROTOCOL_ID);
        in.writeBytes(HexFormat.of().parseHex("8208")); // 1026
        in.writeBytes(new byte[1026]);
        listener.writeInbound(in);
        assertFalse(listener.isOpen());
        assertTrue(l.result().isCompletedExceptionally());
        assertEquals(0, in.refCnt());
        listener.checkException();
        listener.finishAndReleaseAll();
        assertThrows(IllegalArgumentException.class,
            () -> new MultistreamDialer(List.of("/" + "x".repeat(1024)), record(dialerSelected)));
    }

    @Test
    void fuzzedInputNeverRaisesAnExceptionOrLeaksTheInput() {
        Random random = new Random(11);
        ByteBuf validBuf = messages(MultistreamMessages.PROTOCOL_ID, "/noise", "ls", "/x");
        byte[] valid = ByteBufUtil.getBytes(validBuf);
        validBuf.release();
        for (int i = 0; i < 3_000; i++) {
            byte[] input;
            if (random.nextBoolean()) {
                input = new byte[random.nextInt(64)];
                random.nextBytes(input);
            } else {
                input = valid.clone();
                for (int f = 0; f < 1 + random.nextInt(4); f++) {
                    input[random.nextInt(input.length)] = (byte) random.nextInt(256);
                }
            }
            MultistreamNegotiation negotiator = random.nextBoolean()
                ? new MultistreamListener(List.of("/noise"), record(listenerSelected))
                : new MultistreamDialer(List.of("/noise"), record(dialerSelected));
            EmbeddedChannel ch = new EmbeddedChannel(negotiator);
            List<ByteBuf> sent = new ArrayList<>();
            int at = 0;
            while (at < input.length && ch.isOpen()) {
                int n = 1 + random.nextInt(input.length - at);
                ByteBuf chunk = Unpooled.directBuffer(n).writeBytes(input, at, n);
                sent.add(chunk);
                ch.writeInbound(chunk);
                at += n;
            }
            ch.checkException();
            ch.finishAndReleaseAll();
            for (ByteBuf b : sent) {
                assertEquals(0, b.refCnt(), "input buffer leaked");
            }
        }
    }
}
