package dev.hyphae.transport.libp2p.kad;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyphae.transport.libp2p.NoLeaks;
import dev.hyphae.transport.libp2p.kad.proto.KadProto.Message;
import dev.hyphae.transport.libp2p.multiaddr.UnsignedVarint;
import dev.hyphae.transport.libp2p.mux.TrackingAllocator;
import dev.hyphae.transport.libp2p.peer.PeerId;
import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The server end of a DHT stream in an embedded pipeline. */
@ExtendWith(NoLeaks.class)
class KadStreamHandlerTest {

    private final Random random = new Random(17);
    private final PeerId local = KadTestPeers.peerId(random);
    private final PeerId remote = KadTestPeers.peerId(random);
    private final TrackingAllocator alloc = new TrackingAllocator();
    private final RoutingTableTest.MutableClock clock = new RoutingTableTest.MutableClock();
    private final RoutingTable table = new RoutingTable(local, 20, Duration.ofMinutes(10), clock,
        p -> CompletableFuture.completedFuture(true));
    private final EmbeddedChannel channel = new EmbeddedChannel();

    KadStreamHandlerTest() {
        for (int i = 0; i < 30; i++) {
            table.seen(KadTestPeers.peer(random, 2000 + i));
        }
        KadServer server = new KadServer(local, List::of, table, NamespacedValidator.hyphae(), new MemoryRecordStore(10, Duration.ofHours(36), clock),
            new ProviderStore(clock, Duration.ofHours(48), Duration.ofMinutes(30), 10, 10), clock, 20);
        channel.config().setAllocator(alloc);
        channel.pipeline().addLast(new KadFrameDecoder(1024), new KadStreamHandler(server, remote, Duration.ofSeconds(10)));
    }

    @AfterEach
    void released() {
        channel.finishAndReleaseAll();
        alloc.assertAllReleased();
    }

    private void send(Message m) {
        channel.writeInbound(KadMessages.frame(alloc, m));
    }

    private Message response() throws Exception {
        ByteBuf out = channel.readOutbound();
        try {
            long length = UnsignedVarint.read(out);
            assertEquals(length, out.readableBytes());
            return KadMessages.parse(out);
        } finally {
            out.release();
        }
    }

    @Test
    void answersSeveralRequestsOnOneStreamInOrder() throws Exception {
        send(KadMessages.findNode(remote.toBytes()));
        send(Message.newBuilder().setType(Message.MessageType.PING).build());
        Message first = response();
        assertEquals(Message.MessageType.FIND_NODE, first.getType());
        assertEquals(20, first.getCloserPeersCount());
        assertEquals(Message.MessageType.PING, response().getType());
        assertTrue(channel.isOpen());
    }

    @Test
    void closesWhenTheRemoteHasFinishedSending() throws Exception {
        send(KadMessages.findNode(remote.toBytes()));
        channel.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
        channel.runPendingTasks();
        assertEquals(Message.MessageType.FIND_NODE, response().getType());
        assertFalse(channel.isOpen());
    }

    @Test
    void garbageEndsTheStreamWithoutAnAnswer() {
        channel.writeInbound(alloc.buffer().writeBytes(new byte[] {5, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 1}));
        assertFalse(channel.isOpen());
        assertNull(channel.readOutbound());
    }

    @Test
    void oversizedFrameEndsTheStream() {
        ByteBuf in = alloc.buffer();
        UnsignedVarint.write(1_000_000, in);
        in.writeBytes(new byte[64]);
        channel.writeInbound(in);
        assertFalse(channel.isOpen());
    }

    @Test
    void invalidRecordEndsTheStream() {
        send(KadMessages.putValue("/hyphae/x/y".getBytes(), new byte[] {1}));
        assertFalse(channel.isOpen());
        assertNull(channel.readOutbound());
    }

    @Test
    void idleStreamIsClosedAfterTheTimeout() {
        channel.advanceTimeBy(9, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        assertTrue(channel.isOpen());
        channel.advanceTimeBy(2, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        assertFalse(channel.isOpen());
    }
}
