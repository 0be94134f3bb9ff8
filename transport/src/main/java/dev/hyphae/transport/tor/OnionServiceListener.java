package dev.hyphae.transport.tor;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * The loopback listener an onion service forwards to: every connection tor opens for a client is
 * handed to {@code childHandler}, usually a {@link io.netty.channel.ChannelInitializer} that adds
 * an HTTP server codec and the node's routes. Only tor can reach it: it listens on 127.0.0.1.
 */
public final class OnionServiceListener implements AutoCloseable {
    private final Channel serverChannel;

    private OnionServiceListener(Channel serverChannel) {
        this.serverChannel = serverChannel;
    }

    /** Binds a free port on 127.0.0.1; {@code childHandler} must be sharable (a ChannelInitializer is). */
    public static OnionServiceListener bind(EventLoopGroup parentGroup, EventLoopGroup childGroup, ChannelHandler childHandler) {
        Objects.requireNonNull(childHandler, "childHandler");
        ServerBootstrap bootstrap = new ServerBootstrap()
            .group(parentGroup, childGroup)
            .channel(NioServerSocketChannel.class)
            .childHandler(childHandler);
        InetSocketAddress loopback = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        try {
            Channel channel = bootstrap.bind(loopback).sync().channel();
            return new OnionServiceListener(channel);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TorException("interrupted while binding the onion service listener", e);
        } catch (RuntimeException e) {
            throw new TorException("cannot bind the onion service listener on " + loopback + ": " + e.getMessage(), e);
        }
    }

    /** Where the onion service must forward to ({@link OnionService#publish}'s target). */
    public InetSocketAddress localAddress() {
        return (InetSocketAddress) serverChannel.localAddress();
    }

    @Override
    public void close() {
        serverChannel.close().syncUninterruptibly();
    }
}
