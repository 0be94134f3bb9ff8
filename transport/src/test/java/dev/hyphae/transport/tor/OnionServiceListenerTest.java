package dev.hyphae.transport.tor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OnionServiceListenerTest {
    private final NioEventLoopGroup group = new NioEventLoopGroup(1);

    @AfterEach
    void stop() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Test
    void eachConnectionIsHandedToTheGivenInitializerOnLoopbackOnly() throws Exception {
        CompletableFuture<InetSocketAddress> accepted = new CompletableFuture<>();
        try (OnionServiceListener listener = OnionServiceListener.bind(group, group, new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel channel) {
                accepted.complete(channel.localAddress());
            }
        })) {
            InetSocketAddress address = listener.localAddress();
            assertTrue(address.getAddress().isLoopbackAddress(), address.toString());

            try (Socket socket = new Socket(address.getAddress(), address.getPort())) {
                assertEquals(address.getPort(), accepted.get(5, TimeUnit.SECONDS).getPort());
            }
        }
    }
}
