package dev.hyphae.transport.libp2p;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;

/** Carries bytes between two {@link EmbeddedChannel}s as if they were the two ends of a socket. */
public final class EmbeddedPipe {

    private EmbeddedPipe() {
    }

    /** Moves outbound bytes across in both directions until neither side has anything to send. */
    public static void shuttle(EmbeddedChannel a, EmbeddedChannel b) {
        boolean moved = true;
        while (moved) {
            moved = move(a, b) | move(b, a);
        }
    }

    private static boolean move(EmbeddedChannel from, EmbeddedChannel to) {
        from.runPendingTasks();
        boolean moved = false;
        for (Object m = from.readOutbound(); m != null; m = from.readOutbound()) {
            moved = true;
            if (to.isOpen()) {
                to.writeInbound((ByteBuf) m);
            } else {
                ((ByteBuf) m).release();
            }
        }
        return moved;
    }
}
