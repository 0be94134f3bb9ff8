package dev.hyphae.transport.libp2p.kad;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.protobuf.ByteString;
import dev.hyphae.transport.libp2p.NoLeaks;
import dev.hyphae.transport.libp2p.kad.proto.KadProto.Message;
import dev.hyphae.transport.libp2p.multiaddr.Multiaddr;
import dev.hyphae.transport.libp2p.multiaddr.UnsignedVarint;
import dev.hyphae.transport.libp2p.mux.TrackingAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(NoLeaks.class)
class KadFrameDecoderTest {

    private static final int MAX = 4096;
    private final TrackingAllocator alloc = new TrackingAllocator();
    private final EmbeddedChannel channel = new EmbeddedChannel();

    KadFrameDecoderTest() {
        channel.config().setAllocator(alloc);
        channel.pipeline().addLast(new KadFrameDecoder(MAX));
    }

    @AfterEach
    void released() {
        channel.finishAndReleaseAll();
        alloc.assertAllReleased();
    }

    static Message sample() {
        Random random = new Random(1);
        KadPeer a = KadTestPeers.peer(random, 4001);
        KadPeer b = new KadPeer(KadTestPeers.peerId(random),
            List.of(Multiaddr.parse("/ip6/::1/tcp/4002"), Multiaddr.parse("/ip4/10.0.0.1/tcp/9")));
        return Message.newBuilder(KadMessages.putValue(new byte[] {'/', 'x', '/', 'y'}, new byte[] {1, 2, 3}))
            .addAllCloserPeers(KadMessages.toProto(List.of(a, b))).build();
    }

    static byte[] framed(byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        UnsignedVarint.write(body.length, out);
        out.writeBytes(body);
        return out.toByteArray();
    }

    @Test
    void framedMessagesRoundTripEvenWhenSplitAndBatched() {
        Message m = sample();
        ByteBuf one = KadMessages.frame(alloc, m);
        byte[] bytes = ByteBufUtil.getBytes(one);
        one.release();
        byte[] two = new byte[bytes.length * 2];
        System.arraycopy(bytes, 0, two, 0, bytes.length);
        System.arraycopy(bytes, 0, two, bytes.length, bytes.length);
        for (int i = 0; i < two.length; i += 3) {
            channel.writeInbound(alloc.buffer().writeBytes(two, i, Math.min(3, two.length - i)));
        }
        assertEquals(m, channel.readInbound());
        assertEquals(m, channel.readInbound());
        assertNull(channel.readInbound());
    }

    @Test
    void modelPeersSurviveTheProtobufForm() {
        Message m = sample();
        List<KadPeer> peers = KadMessages.fromProto(m.getCloserPeersList());
        assertEquals(2, peers.size());
        assertEquals(KadMessages.fromProto(KadMessages.toProto(peers)), peers);
    }

    @Test
    void badPeerEntriesAndAddressesAreSkippedNotFatal() {
        Message.Peer badId = Message.Peer.newBuilder().setId(ByteString.copyFrom(new byte[] {9, 9})).build();
        Message.Peer badAddr = Message.Peer.newBuilder(KadMessages.toProto(KadTestPeers.peer(new Random(2), 1),
                Message.ConnectionType.CONNECTED))
            .addAddrs(ByteString.copyFrom(new byte[] {(byte) 0xff, 1})).build();
        List<KadPeer> peers = KadMessages.fromProto(List.of(badId, badAddr));
        assertEquals(1, peers.size());
        assertEquals(1, peers.get(0).addrs().size());
    }

    @Test
    void oversizedLengthIsRejectedBeforeTheBodyArrives() {
        ByteBuf in = alloc.buffer();
        UnsignedVarint.write(MAX + 1, in);
        channel.writeInbound(in);
        KadProtocolException e = assertInstanceOf(KadProtocolException.class, channel.readInbound());
        assertTrue(e.getMessage().contains("exceeds"), e.getMessage());
        channel.writeInbound(alloc.buffer().writeBytes(new byte[100]));
        assertNull(channel.readInbound(), "input after a fault is discarded");
    }

    @Test
    void unknownMessageTypeIsRejected() {
        byte[] body = {0x08, 0x63}; // type = 99
        channel.writeInbound(alloc.buffer().writeBytes(framed(body)));
        KadProtocolException e = assertInstanceOf(KadProtocolException.class, channel.readInbound());
        assertTrue(e.getMessage().contains("unknown or mistyped message type"), e.getMessage());
    }

    @Test
    void wrongWireTypeAndGarbageAreRejected() {
        byte[] body = {0x0a, 0x01, 0x05}; // field 1 as length-delimited
        channel.writeInbound(alloc.buffer().writeBytes(framed(body)));
        Object first = channel.readInbound();
        // protobuf keeps a mistyped field as unknown, which the type check then rejects
        assertInstanceOf(KadProtocolException.class, first);
    }

    @Test
    void streamEndingInsideAMessageIsReported() {
        channel.writeInbound(alloc.buffer().writeBytes(new byte[] {10, 1, 2}));
        channel.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
        assertInstanceOf(KadProtocolException.class, channel.readInbound());
    }

    @Test
    void absentTypeReadsAsPutValueAsProto3SendersMeanIt() throws Exception {
        Message m = KadMessages.parse(Unpooled.wrappedBuffer(new byte[] {0x12, 0x01, 0x61}));
        assertEquals(Message.MessageType.PUT_VALUE, m.getType());
    }

    @Test
    void fuzzedInputOnlyEverYieldsMessagesOrOneRejectionAndNeverLeaks() {
        Random random = new Random(0x6AD);
        byte[] valid = framed(sample().toByteArray());
        for (int run = 0; run < 3000; run++) {
            byte[] input;
            if (run % 3 == 0) {
                input = new byte[random.nextInt(200)];
                random.nextBytes(input);
            } else {
                input = valid.clone();
                for (int m = 0; m < 1 + random.nextInt(4); m++) {
                    int at = random.nextInt(input.length);
                    switch (random.nextInt(3)) {
                        case 0 -> input[at] ^= (byte) (1 << random.nextInt(8));
                        case 1 -> input[at] = (byte) random.nextInt(256);
                        default -> input = Arrays.copyOf(input, Math.max(1, at));
                    }
                }
            }
            decodeFuzzed(input, random, run);
        }
    }

    private static void decodeFuzzed(byte[] input, Random random, int run) {
        TrackingAllocator a = new TrackingAllocator();
        EmbeddedChannel ch = new EmbeddedChannel(new KadFrameDecoder(MAX));
        ch.config().setAllocator(a);
        List<Object> out = new ArrayList<>();
        try {
            int offset = 0;
            while (offset < input.length) {
                int n = Math.min(input.length - offset, 1 + random.nextInt(40));
                ch.writeInbound(a.buffer(n).writeBytes(input, offset, n));
                offset += n;
            }
            ch.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
            ch.checkException();
            for (Object o = ch.readInbound(); o != null; o = ch.readInbound()) {
                out.add(o);
            }
        } catch (RuntimeException e) {
            fail("run " + run + " let an exception escape: " + e, e);
        }
        long rejections = out.stream().filter(o -> o instanceof KadProtocolException).count();
        assertTrue(rejections <= 1, "run " + run + " rejected more than once");
        for (int i = 0; i < out.size(); i++) {
            boolean ok = out.get(i) instanceof Message || (out.get(i) instanceof KadProtocolException && i == out.size() - 1);
            assertTrue(ok, "run " + run + " produced " + out.get(i));
        }
        ch.finishAndReleaseAll();
        a.assertAllReleased();
    }
}
