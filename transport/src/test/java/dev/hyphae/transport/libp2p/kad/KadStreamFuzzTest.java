package dev.hyphae.transport.libp2p.kad;

import static org.junit.jupiter.api.Assertions.fail;

import dev.hyphae.transport.libp2p.NoLeaks;
import dev.hyphae.transport.libp2p.kad.proto.KadProto.Message;
import dev.hyphae.transport.libp2p.mux.TrackingAllocator;
import dev.hyphae.transport.libp2p.peer.PeerId;
import dev.hyphae.transport.libp2p.peer.PrivateKey;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Mutated request streams against the DHT server pipeline: nothing escapes, nothing leaks. */
@ExtendWith(NoLeaks.class)
class KadStreamFuzzTest {

    private static final int RUNS = 600;

    @Test
    void mutatedRequestStreamsNeverEscapeThePipelineOrLeak() {
        Random random = new Random(0xD47);
        PrivateKey alice = KadTestPeers.key(random);
        PeerId local = KadTestPeers.peerId(random);
        RoutingTableTest.MutableClock clock = new RoutingTableTest.MutableClock();
        RoutingTable table = new RoutingTable(local, 20, Duration.ofMinutes(10), clock,
            p -> CompletableFuture.completedFuture(true));
        for (int i = 0; i < 40; i++) {
            table.seen(KadTestPeers.peer(random, 3000 + i));
        }
        KadServer server = new KadServer(local, List::of, table, NamespacedValidator.hyphae(), new MemoryRecordStore(1000, Duration.ofHours(36), clock),
            new ProviderStore(clock, Duration.ofHours(48), Duration.ofMinutes(30), 1000, 20), clock, 20);
        byte[] key = HyphaeRecord.key(alice.peerId(), "addrs");
        List<Message> requests = List.of(
            KadMessages.findNode(local.toBytes()),
            KadMessages.getValue(key),
            KadMessages.putValue(key, HyphaeRecord.sign(alice, "addrs", 4, new byte[] {1, 2})),
            KadMessages.getProviders(new byte[] {0x12, 0x20, 1}),
            KadMessages.addProvider(new byte[] {0x12, 0x20, 1}, new KadPeer(alice.peerId(), List.of())));
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (Message m : requests) {
            ByteBuf framed = KadMessages.frame(io.netty.buffer.UnpooledByteBufAllocator.DEFAULT, m);
            all.writeBytes(ByteBufUtil.getBytes(framed));
            framed.release();
        }
        byte[] valid = all.toByteArray();
        for (int run = 0; run < RUNS; run++) {
            byte[] input = valid.clone();
            for (int m = 0; m < 1 + random.nextInt(6); m++) {
                int at = random.nextInt(input.length);
                switch (random.nextInt(3)) {
                    case 0 -> input[at] ^= (byte) (1 << random.nextInt(8));
                    case 1 -> input[at] = (byte) random.nextInt(256);
                    default -> input = Arrays.copyOf(input, Math.max(1, at));
                }
            }
            serve(server, alice.peerId(), input, random, run);
        }
    }

    private static void serve(KadServer server, PeerId remote, byte[] input, Random random, int run) {
        TrackingAllocator alloc = new TrackingAllocator();
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.config().setAllocator(alloc);
        ch.pipeline().addLast(new KadFrameDecoder(4096), new KadStreamHandler(server, remote, Duration.ofSeconds(10)));
        try {
            int offset = 0;
            while (offset < input.length && ch.isOpen()) {
                int n = Math.min(input.length - offset, 1 + random.nextInt(64));
                ch.writeInbound(alloc.buffer(n).writeBytes(input, offset, n));
                offset += n;
            }
            if (ch.isOpen()) {
                ch.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
                ch.runPendingTasks();
            }
            ch.checkException();
        } catch (RuntimeException e) {
            fail("run " + run + " let an exception escape: " + e, e);
        }
        if (ch.isOpen()) {
            fail("run " + run + " left the stream open after its end");
        }
        ch.finishAndReleaseAll();
        alloc.assertAllReleased();
    }
}
