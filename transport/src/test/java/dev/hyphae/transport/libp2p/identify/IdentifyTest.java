package dev.hyphae.transport.libp2p.identify;

import dev.hyphae.transport.libp2p.NoLeaks;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.hyphae.transport.libp2p.identify.proto.IdentifyProto;
import dev.hyphae.transport.libp2p.multiaddr.Multiaddr;
import dev.hyphae.transport.libp2p.multiaddr.UnsignedVarint;
import dev.hyphae.transport.libp2p.mux.MuxerPair;
import dev.hyphae.transport.libp2p.mux.TrackingAllocator;
import dev.hyphae.transport.libp2p.peer.PeerRecord;
import dev.hyphae.transport.libp2p.peer.PrivateKey;
import dev.hyphae.transport.libp2p.yamux.YamuxConfig;
import dev.hyphae.transport.libp2p.yamux.YamuxMuxer;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(NoLeaks.class)
class IdentifyTest {
    static final PrivateKey LISTENER = PrivateKey.fromSeed(seed(1));
    static final PrivateKey OTHER = PrivateKey.fromSeed(seed(2));
    static final Multiaddr TCP = Multiaddr.parse("/ip4/127.0.0.1/tcp/4001");

    private final TrackingAllocator alloc = new TrackingAllocator();
    private EmbeddedChannel channel;

    static byte[] seed(int b) {
        byte[] seed = new byte[32];
        Arrays.fill(seed, (byte) b);
        return seed;
    }

    static IdentifyMessage listenerMessage() {
        return IdentifyMessage.of(LISTENER.publicKey(), List.of(TCP), List.of(IdentifyProtocol.ID, "/ipfs/ping/1.0.0"),
                Optional.of(Multiaddr.parse("/ip4/10.0.0.2/tcp/5000")), "hyphae/0.1.0",
                Optional.of(new PeerRecord(LISTENER.peerId(), 7, List.of(TCP)).seal(LISTENER)));
    }

    @AfterEach
    void noLeaks() {
        if (channel != null) {
            channel.finishAndReleaseAll();
        }
        alloc.assertAllReleased();
    }

    private IdentifyReader reader(boolean push) {
        IdentifyReader reader = new IdentifyReader(LISTENER.peerId(), push, Duration.ofSeconds(5));
        channel = new EmbeddedChannel();
        channel.config().setAllocator(alloc);
        channel.pipeline().addLast(reader);
        return reader;
    }

    private void receive(byte[]... messages) {
        for (byte[] m : messages) {
            ByteBuf buf = alloc.buffer();
            UnsignedVarint.write(m.length, buf);
            channel.writeInbound(buf.writeBytes(m));
        }
        channel.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
        channel.runPendingTasks();
    }

    private static String failure(IdentifyReader reader) {
        assertTrue(reader.result().isCompletedExceptionally());
        CompletionException e = assertThrows(CompletionException.class, () -> reader.result().join());
        assertInstanceOf(IdentifyException.class, e.getCause());
        return e.getCause().getMessage();
    }

    @Test
    void writerHalfClosesAfterItsMessageAndTheReaderGetsItOverYamux() {
        ChannelInitializer<Channel> responders = new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                ch.pipeline().addLast(new IdentifyWriter(listenerMessage()));
            }
        };
        IdentifyReader reader = new IdentifyReader(LISTENER.peerId(), false, Duration.ofSeconds(5));
        try (MuxerPair pair = new MuxerPair(new YamuxMuxer(YamuxConfig.defaults()), responders)) {
            pair.open(pair.dialer, reader);
            assertTrue(reader.result().isDone());
            IdentifyMessage m = reader.result().getNow(null);
            assertEquals(LISTENER.publicKey(), m.publicKey().orElseThrow());
            assertEquals(List.of(TCP), m.listenAddrs());
            assertEquals(List.of(IdentifyProtocol.ID, "/ipfs/ping/1.0.0"), m.protocols());
            assertEquals(Optional.of("ipfs/0.1.0"), m.protocolVersion());
            assertEquals(Optional.of("hyphae/0.1.0"), m.agentVersion());
            assertEquals(7, m.signedPeerRecord().orElseThrow().seq());
            assertEquals(0, pair.dialer.streamCount(), "both sides closed the stream");
            assertEquals(0, pair.listener.streamCount());
        }
    }

    @Test
    void pushCarriesOnlyTheChangedFieldsOverYamux() {
        List<IdentifyReader> readers = new java.util.ArrayList<>();
        ChannelInitializer<Channel> receivers = new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                IdentifyReader reader = new IdentifyReader(OTHER.peerId(), true, Duration.ofSeconds(5));
                readers.add(reader);
                ch.pipeline().addLast(reader);
            }
        };
        IdentifyMessage update = new IdentifyMessage(Optional.empty(), List.of(), List.of("/matrix/federation/1.0.0"),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
        try (MuxerPair pair = new MuxerPair(new YamuxMuxer(YamuxConfig.defaults()), receivers)) {
            pair.open(pair.dialer, new IdentifyWriter(update));
            IdentifyMessage received = readers.get(0).result().getNow(null);
            assertEquals(List.of("/matrix/federation/1.0.0"), received.protocols());
            assertTrue(received.publicKey().isEmpty() && received.agentVersion().isEmpty());
            assertEquals(0, pair.dialer.streamCount());
            assertEquals(0, pair.listener.streamCount());
        }
    }

    @Test
    void writerRefusesAMessageOverTheEightKibLimit() {
        List<String> many = java.util.stream.IntStream.range(0, 1000).mapToObj(i -> "/protocol/" + i).toList();
        IdentifyMessage big = IdentifyMessage.of(LISTENER.publicKey(), List.of(), many, Optional.empty(), "x", Optional.empty());
        assertThrows(IllegalArgumentException.class, () -> new IdentifyWriter(big));
    }

    @Test
    void publicKeyOfAnotherPeerIsRejected() {
        IdentifyReader reader = reader(false);
        receive(IdentifyMessage.of(OTHER.publicKey(), List.of(), List.of(), Optional.empty(), "x", Optional.empty()).toProtobuf());
        assertTrue(failure(reader).startsWith("publicKey does not belong"));
        assertFalse(channel.isOpen());
    }

    @Test
    void publicKeyIsRequiredExceptInAPush() {
        byte[] onlyProtocols = IdentifyProto.Identify.newBuilder().addProtocols("/a").build().toByteArray();
        assertEquals("identify message without publicKey", failure(withReader(false, onlyProtocols)));
        IdentifyReader push = withReader(true, onlyProtocols);
        assertEquals(List.of("/a"), push.result().getNow(null).protocols());
    }

    private IdentifyReader withReader(boolean push, byte[]... messages) {
        if (channel != null) {
            channel.finishAndReleaseAll();
        }
        IdentifyReader reader = reader(push);
        receive(messages);
        return reader;
    }

    @Test
    void observedAddressLosesItsPeerIdSuffix() {
        byte[] m = IdentifyProto.Identify.newBuilder()
                .setPublicKey(ByteString.copyFrom(LISTENER.publicKey().toProtobuf()))
                .setObservedAddr(ByteString.copyFrom(
                        Multiaddr.parse("/ip4/1.2.3.4/tcp/9/p2p/" + OTHER.peerId().toBase58()).toBytes()))
                .build().toByteArray();
        IdentifyReader reader = withReader(false, m);
        assertEquals(Multiaddr.parse("/ip4/1.2.3.4/tcp/9"), reader.result().getNow(null).observedAddr().orElseThrow());
    }

    @Test
    void unparseableListenAddressesAreSkipped() {
        byte[] m = IdentifyProto.Identify.newBuilder()
                .setPublicKey(ByteString.copyFrom(LISTENER.publicKey().toProtobuf()))
                .addListenAddrs(ByteString.copyFrom(new byte[] {(byte) 0xFF, 0x7F, 1}))
                .addListenAddrs(ByteString.copyFrom(TCP.toBytes()))
                .build().toByteArray();
        assertEquals(List.of(TCP), withReader(false, m).result().getNow(null).listenAddrs());
    }

    @Test
    void signedPeerRecordMustBeAboutTheConnectionsPeer() {
        byte[] m = IdentifyProto.Identify.newBuilder()
                .setPublicKey(ByteString.copyFrom(LISTENER.publicKey().toProtobuf()))
                .setSignedPeerRecord(ByteString.copyFrom(new PeerRecord(OTHER.peerId(), 1, List.of(TCP)).seal(OTHER).toBytes()))
                .build().toByteArray();
        assertTrue(failure(withReader(false, m)).startsWith("signedPeerRecord is about"));
    }

    @Test
    void signedPeerRecordWithABrokenSignatureIsRejected() {
        byte[] envelope = new PeerRecord(LISTENER.peerId(), 1, List.of(TCP)).seal(LISTENER).toBytes();
        envelope[envelope.length - 1] ^= 1;
        byte[] m = IdentifyProto.Identify.newBuilder()
                .setPublicKey(ByteString.copyFrom(LISTENER.publicKey().toProtobuf()))
                .setSignedPeerRecord(ByteString.copyFrom(envelope))
                .build().toByteArray();
        assertTrue(failure(withReader(false, m)).startsWith("signedPeerRecord does not verify"));
    }

    @Test
    void severalMessagesBeforeEofAreMerged() {
        byte[] key = IdentifyProto.Identify.newBuilder()
                .setPublicKey(ByteString.copyFrom(LISTENER.publicKey().toProtobuf())).build().toByteArray();
        byte[] protocols = IdentifyProto.Identify.newBuilder().addProtocols("/b").build().toByteArray();
        IdentifyMessage m = withReader(false, key, protocols).result().getNow(null);
        assertEquals(LISTENER.publicKey(), m.publicKey().orElseThrow());
        assertEquals(List.of("/b"), m.protocols());
    }

    @Test
    void moreThanTenMessagesAreRejected() {
        byte[] key = IdentifyProto.Identify.newBuilder()
                .setPublicKey(ByteString.copyFrom(LISTENER.publicKey().toProtobuf())).build().toByteArray();
        byte[][] eleven = new byte[11][];
        Arrays.fill(eleven, key);
        assertEquals("more than 10 identify messages", failure(withReader(false, eleven)));
    }

    @Test
    void lengthPrefixOverEightKibIsRejectedBeforeTheBodyArrives() {
        IdentifyReader reader = reader(false);
        ByteBuf prefix = alloc.buffer();
        UnsignedVarint.write(8 * 1024 + 1, prefix);
        channel.writeInbound(prefix);
        assertEquals("identify message of 8193 bytes exceeds 8192", failure(reader));
        channel.runPendingTasks();
        assertFalse(channel.isOpen());
    }

    @Test
    void endOfStreamInsideAMessageIsRejected() {
        IdentifyReader reader = reader(false);
        ByteBuf partial = alloc.buffer();
        UnsignedVarint.write(100, partial);
        channel.writeInbound(partial.writeBytes(new byte[40]));
        channel.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
        assertEquals("stream ended inside an identify message", failure(reader));
    }

    @Test
    void endOfStreamWithoutAnyMessageIsRejected() {
        IdentifyReader reader = reader(false);
        channel.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
        assertEquals("stream ended without an identify message", failure(reader));
    }

    @Test
    void silentPeerTimesOut() {
        IdentifyReader reader = reader(false);
        channel.advanceTimeBy(5, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        assertTrue(failure(reader).startsWith("no complete identify within"));
    }

    @Test
    void framingIsAUvarintLengthFollowedByTheProtobuf() {
        channel = new EmbeddedChannel();
        channel.config().setAllocator(alloc);
        IdentifyMessage message = listenerMessage();
        channel.pipeline().addLast(new IdentifyWriter(message));
        ByteBuf out = channel.readOutbound();
        byte[] proto = message.toProtobuf();
        assertEquals(proto.length, UnsignedVarint.read(out));
        assertTrue(Arrays.equals(proto, ByteBufUtil.getBytes(out)));
        out.release();
        assertFalse(channel.isOpen(), "without half-close support the writer closes");
    }
}
