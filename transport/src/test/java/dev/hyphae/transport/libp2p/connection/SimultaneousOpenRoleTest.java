package dev.hyphae.transport.libp2p.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SimultaneousOpenRoleTest {

    @Test
    void bytesFromThePeerFirstMakeThisSideTheResponderAndReachTheUpgrader() {
        List<Boolean> roles = new ArrayList<>();
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.pipeline().addLast("role", new SimultaneousOpenRole(Duration.ofHours(1), roles::add));

        channel.writeInbound(Unpooled.copiedBuffer("/multistream/1.0.0", StandardCharsets.UTF_8));

        assertEquals(List.of(false), roles);
        assertNull(channel.pipeline().get("role"));
        ByteBuf passed = channel.readInbound();
        assertEquals("/multistream/1.0.0", passed.toString(StandardCharsets.UTF_8));
        passed.release();
        channel.finishAndReleaseAll();
    }

    @Test
    void silenceForTheWaitMakesThisSideTheInitiator() {
        List<Boolean> roles = new ArrayList<>();
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.pipeline().addLast("role", new SimultaneousOpenRole(Duration.ZERO, roles::add));

        channel.runScheduledPendingTasks();

        assertEquals(List.of(true), roles);
        assertNull(channel.pipeline().get("role"));
        channel.writeInbound(Unpooled.copiedBuffer("late", StandardCharsets.UTF_8));
        assertEquals(List.of(true), roles);
        channel.finishAndReleaseAll();
    }
}
