package dev.hyphae.node.mailbox;

import dev.hyphae.transport.tor.TorHttpClient;
import io.netty.buffer.Unpooled;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Reaches mailboxes at port 80 of their onion services through tor's SOCKS port, one request per
 * connection, with no X-Matrix header: a deposit says nothing about its sender.
 */
public final class TorMailboxTransport implements MailboxTransport, AutoCloseable {
    private final NioEventLoopGroup group;
    private final TorHttpClient http;

    /** @param socks tor's SOCKS address once tor runs; throws while it does not */
    public TorMailboxTransport(Supplier<InetSocketAddress> socks, Duration timeout) {
        this.group = new NioEventLoopGroup(1, new DefaultThreadFactory("hyphae-mailbox-tor", true));
        this.http = new TorHttpClient(group, socks, TorHttpClient.DEFAULT_CONNECT_TIMEOUT, timeout,
                2 * PaddedSizes.ANSWER_SIZES.get(PaddedSizes.ANSWER_SIZES.size() - 1));
    }

    @Override
    public CompletableFuture<Reply> post(String mailbox, String path, byte[] body) {
        FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, path,
                Unpooled.wrappedBuffer(body));
        request.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/octet-stream");
        try {
            return http.send(mailbox, request).thenApply(response -> new Reply(response.status(), response.body()));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
