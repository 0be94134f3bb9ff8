package dev.hyphae.transport.libp2p.identify;

import dev.hyphae.transport.libp2p.NoLeaks;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.hyphae.transport.libp2p.multiaddr.UnsignedVarint;
import dev.hyphae.transport.libp2p.mux.TrackingAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Random and mutated identify streams from a seeded Random: the reader always reaches a verdict,
 * a rejected stream is closed, only {@link IdentifyException}s come out, and nothing leaks.
 */
@ExtendWith(NoLeaks.class)
class IdentifyFuzzTest {
    private static final int RUNS = 500;

    @Test
    void randomStreamsAlwaysEndInAVerdictWithoutEscapesOrLeaks() {
        Random random = new Random(0x1D);
        for (int run = 0; run < RUNS; run++) {
            byte[] input = new byte[random.nextInt(300)];
            random.nextBytes(input);
            read(input, random, run);
        }
    }

    @Test
    void mutatedValidStreamsAlwaysEndInAVerdictWithoutEscapesOrLeaks() {
        Random random = new Random(0xF1D);
        byte[] valid = framed(IdentifyTest.listenerMessage().toProtobuf());
        for (int run = 0; run < RUNS; run++) {
            byte[] input = valid.clone();
            int mutations = 1 + random.nextInt(4);
            for (int m = 0; m < mutations; m++) {
                int at = random.nextInt(input.length);
                switch (random.nextInt(3)) {
                    case 0 -> input[at] ^= (byte) (1 << random.nextInt(8));
                    case 1 -> input[at] = (byte) random.nextInt(256);
                    default -> input = Arrays.copyOf(input, Math.max(1, at));
                }
            }
            read(input, random, run);
        }
    }

    @Test
    void randomProtobufBodiesOnlyEverRaiseIdentifyException() {
        Random random = new Random(0xB0D);
        byte[] valid = IdentifyTest.listenerMessage().toProtobuf();
        for (int run = 0; run < RUNS; run++) {
            byte[] body = valid.clone();
            for (int m = 0; m < 1 + random.nextInt(3); m++) {
                body[random.nextInt(body.length)] = (byte) random.nextInt(256);
            }
            try {
                IdentifyMessage.fromProtobuf(body, IdentifyTest.LISTENER.peerId(), random.nextBoolean());
            } catch (IdentifyException expected) {
                // a clear rejection is fine
            } catch (RuntimeException e) {
                fail("run " + run + " raised " + e, e);
            }
        }
    }

    private static byte[] framed(byte[] message) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        UnsignedVarint.write(message.length, out);
        out.writeBytes(message);
        return out.toByteArray();
    }

    private static void read(byte[] input, Random random, int run) {
        TrackingAllocator alloc = new TrackingAllocator();
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.config().setAllocator(alloc);
        IdentifyReader reader = new IdentifyReader(IdentifyTest.LISTENER.peerId(), random.nextBoolean(), Duration.ofSeconds(5));
        channel.pipeline().addLast(reader);
        try {
            int offset = 0;
            while (offset < input.length && channel.isOpen()) {
                int n = Math.min(input.length - offset, 1 + random.nextInt(40));
                channel.writeInbound(alloc.buffer(n).writeBytes(input, offset, n));
                offset += n;
                channel.runPendingTasks();
            }
            if (channel.isOpen()) {
                channel.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
                channel.runPendingTasks();
            }
            channel.checkException();
        } catch (RuntimeException e) {
            fail("run " + run + " let an exception escape: " + e, e);
        }
        assertTrue(reader.result().isDone(), "run " + run + " reached no verdict");
        if (reader.result().isCompletedExceptionally()) {
            try {
                reader.result().join();
            } catch (CompletionException e) {
                assertTrue(e.getCause() instanceof IdentifyException, "run " + run + ": " + e.getCause());
            }
            assertTrue(!channel.isOpen(), "run " + run + " left a rejected stream open");
        }
        channel.finishAndReleaseAll();
        alloc.assertAllReleased();
    }
}
