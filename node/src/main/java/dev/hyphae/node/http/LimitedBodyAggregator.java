package dev.hyphae.node.http;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;

/** Collects a request's body up to the limit; a larger one is answered with 413 M_TOO_LARGE. */
final class LimitedBodyAggregator extends HttpObjectAggregator {
    private final int maxBodyBytes;

    LimitedBodyAggregator(int maxBodyBytes) {
        super(maxBodyBytes);
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
        // The rest of the body is still on its way, so the connection cannot be reused: answer and close.
        MatrixResponse response = MatrixResponse.error(
                MatrixException.tooLarge("The request body is larger than " + maxBodyBytes + " bytes"));
        ctx.writeAndFlush(MatrixChannelHandler.toNetty(response, false))
                .addListener(ChannelFutureListener.CLOSE);
    }
}
