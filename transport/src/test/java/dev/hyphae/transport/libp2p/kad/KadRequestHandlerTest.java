package dev.hyphae.transport.libp2p.kad;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyphae.transport.libp2p.NoLeaks;
import dev.hyphae.transport.libp2p.kad.proto.KadProto.Message;
import dev.hyphae.transport.libp2p.mux.TrackingAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import java.io.IOException;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The client end of a DHT request stream in an embedded pipeline. */
@ExtendWith(NoLeaks.class)
class KadRequestHandlerTest {

    private final TrackingAllocator alloc = new TrackingAllocator();
    private final KadRequestHandler handler = new KadRequestHandler();
    private final EmbeddedChannel channel = new EmbeddedChannel();

    KadRequestHandlerTest() {
        channel.config().setAllocator(alloc);
        channel.pipeline().addLast(new KadFrameDecoder(1024), handler);
    }

    @AfterEach
    void released() {
        channel.finishAndReleaseAll();
        alloc.assertAllReleased();
    }

    private Throwable failure() {
        assertTrue(handler.response().isCompletedExceptionally());
        try {
            handler.response().join();
            throw new AssertionError("not failed");
        } catch (CompletionException e) {
            return e.getCause();
        }
    }

    @Test
    void firstMessageCompletesTheResponseAndClosesTheStream() {
        Message answer = KadMessages.findNode(new byte[] {1});
        channel.writeInbound(KadMessages.frame(alloc, answer));
        assertEquals(answer, handler.response().join());
        assertFalse(channel.isOpen());
    }

    @Test
    void garbageFailsTheResponseAndClosesTheStream() {
        channel.writeInbound(alloc.buffer().writeBytes(new byte[] {3, (byte) 0xff, (byte) 0xff, (byte) 0xff}));
        assertInstanceOf(KadProtocolException.class, failure());
        assertFalse(channel.isOpen());
    }

    @Test
    void endOfStreamWithoutAnswerFailsTheResponse() {
        channel.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
        assertInstanceOf(IOException.class, failure());
        assertFalse(channel.isOpen());
    }

    @Test
    void closedStreamFailsTheResponse() {
        channel.close();
        assertInstanceOf(IOException.class, failure());
    }
}
