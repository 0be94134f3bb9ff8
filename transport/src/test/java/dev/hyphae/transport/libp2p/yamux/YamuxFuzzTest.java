package dev.hyphae.transport.libp2p.yamux;

import dev.hyphae.transport.libp2p.NoLeaks;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Random and mutated input from a seeded Random: whatever a peer sends, no exception leaves the
 * pipeline, no buffer leaks, and a connection that saw a protocol error is closed.
 */
@ExtendWith(NoLeaks.class)
class YamuxFuzzTest {
    private static final int RUNS = 400;

    @Test
    void randomBytesNeverEscapeOrLeak() {
        Random random = new Random(0x5EED);
        for (int run = 0; run < RUNS; run++) {
            byte[] input = new byte[random.nextInt(200)];
            random.nextBytes(input);
            if (random.nextBoolean() && input.length > 0) {
                input[0] = 0; // a plausible version byte gets past the first check more often
            }
            feed(input, random, run);
        }
    }

    @Test
    void mutatedValidSessionsNeverEscapeOrLeak() {
        Random random = new Random(0xF00D);
        for (int run = 0; run < RUNS; run++) {
            byte[] input = validSession(random);
            int mutations = random.nextInt(4);
            for (int m = 0; m < mutations && input.length > 0; m++) {
                int at = random.nextInt(input.length);
                switch (random.nextInt(3)) {
                    case 0 -> input[at] ^= (byte) (1 << random.nextInt(8));
                    case 1 -> input[at] = (byte) random.nextInt(256);
                    default -> input = java.util.Arrays.copyOf(input, at);
                }
            }
            feed(input, random, run);
        }
    }

    @Test
    void protocolErrorsCloseTheConnection() {
        Random random = new Random(7);
        int closed = 0;
        for (int run = 0; run < RUNS; run++) {
            byte[] input = validSession(random);
            // Data far beyond any window on an established stream.
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.writeBytes(input);
            out.writeBytes(frame(YamuxType.WINDOW_UPDATE, YamuxFlags.SYN, 1001, 0, new byte[0]));
            byte[] big = new byte[YamuxConfig.INITIAL_WINDOW + 1];
            out.writeBytes(frame(YamuxType.DATA, 0, 1001, big.length, big));
            RawPeer peer = new RawPeer(false, YamuxConfig.defaults(), false);
            try {
                deliver(peer, out.toByteArray(), random);
                if (!peer.channel.isOpen()) {
                    closed++;
                }
            } finally {
                peer.close();
            }
        }
        assertTrue(closed == RUNS, "every run closed: " + closed);
    }

    private static void feed(byte[] input, Random random, int run) {
        RawPeer peer = new RawPeer(random.nextBoolean(), YamuxConfig.defaults(), random.nextBoolean());
        try {
            deliver(peer, input, random);
            peer.written();
        } catch (RuntimeException | AssertionError e) {
            throw new AssertionError("run " + run + " let an exception escape", e);
        } finally {
            peer.close();
        }
    }

    /** Writes {@code input} in random chunks, as long as the connection stays open. */
    private static void deliver(RawPeer peer, byte[] input, Random random) {
        int offset = 0;
        while (offset < input.length && peer.channel.isOpen()) {
            int n = Math.min(input.length - offset, 1 + random.nextInt(64));
            ByteBuf chunk = peer.alloc.buffer(n).writeBytes(input, offset, n);
            peer.channel.writeInbound(chunk);
            offset += n;
            peer.written();
        }
    }

    /** A plausible session from a remote dialer (odd ids): opens, data, updates, pings, closes, resets. */
    private static byte[] validSession(Random random) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int frames = 1 + random.nextInt(20);
        for (int i = 0; i < frames; i++) {
            int id = 1 + 2 * random.nextInt(4);
            switch (random.nextInt(7)) {
                case 0 -> out.writeBytes(frame(YamuxType.WINDOW_UPDATE, YamuxFlags.SYN, id, 0, new byte[0]));
                case 1 -> {
                    byte[] data = new byte[random.nextInt(100)];
                    random.nextBytes(data);
                    int flags = random.nextInt(3) == 0 ? YamuxFlags.SYN : 0;
                    out.writeBytes(frame(YamuxType.DATA, flags, id, data.length, data));
                }
                case 2 -> out.writeBytes(frame(YamuxType.WINDOW_UPDATE, 0, id, random.nextInt(1 << 20), new byte[0]));
                case 3 -> out.writeBytes(frame(YamuxType.PING, YamuxFlags.SYN, 0, random.nextInt(), new byte[0]));
                case 4 -> out.writeBytes(frame(YamuxType.WINDOW_UPDATE, YamuxFlags.FIN, id, 0, new byte[0]));
                case 5 -> out.writeBytes(frame(YamuxType.DATA, YamuxFlags.RST, id, 0, new byte[0]));
                default -> out.writeBytes(frame(YamuxType.GO_AWAY, 0, 0, random.nextInt(3), new byte[0]));
            }
        }
        return out.toByteArray();
    }

    private static byte[] frame(YamuxType type, int flags, int id, long length, byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(12 + data.length);
        b.put((byte) 0).put((byte) type.code()).putShort((short) flags).putInt(id).putInt((int) length).put(data);
        return b.array();
    }
}
