package dev.hyphae.node.federation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hyphae.transport.libp2p.connection.Connection;
import dev.hyphae.transport.libp2p.http.HttpStreamClient;
import dev.hyphae.transport.router.Router;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Makes federation requests over libp2p: signs each with X-Matrix, asks the {@link Router} for a
 * connection to the destination, sends the request as HTTP/1.1 on a new stream and reads the JSON
 * answer. No route, a failed stream or a timeout is {@link FederationException#unreachable()}; a
 * non-2xx answer is {@link FederationException#answered} with the remote's errcode; a 2xx answer
 * whose body is not JSON fails with its status and no errcode.
 */
public final class Libp2pFederationClient implements FederationClient {
    private static final ObjectMapper JSON = FederationAnswer.JSON;

    private final XMatrixSigner signer;
    private final Router router;
    private final HttpStreamClient http;

    /**
     * @param http makes the HTTP exchange; its timeout and response size limit apply to each request
     */
    public Libp2pFederationClient(XMatrixSigner signer, Router router, HttpStreamClient http) {
        this.signer = Objects.requireNonNull(signer, "signer");
        this.router = Objects.requireNonNull(router, "router");
        this.http = Objects.requireNonNull(http, "http");
    }

    @Override
    public CompletableFuture<JsonNode> request(FederationRequest request) {
        return send(request, "application/json", response -> FederationAnswer.read(request.destination(),
                response.status().code(), response.status().reasonPhrase(), ByteBufUtil.getBytes(response.content())));
    }

    @Override
    public CompletableFuture<FederationBytes> requestBytes(FederationRequest request) {
        return send(request, "*/*", response -> FederationAnswer.readBytes(request.destination(),
                response.status().code(), response.status().reasonPhrase(),
                response.headers().get(HttpHeaderNames.CONTENT_TYPE), ByteBufUtil.getBytes(response.content())));
    }

    private <T> CompletableFuture<T> send(FederationRequest request, String accept,
            Function<FullHttpResponse, T> reader) {
        String destination = request.destination();
        byte[] body;
        String authorization;
        try {
            body = request.body() == null ? new byte[0] : JSON.writeValueAsBytes(request.body());
            authorization = signer.authorization(request.method().name(), request.uri(), destination, request.body());
        } catch (Exception e) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("cannot sign " + request.method() + " "
                    + request.uri() + ": " + e.getMessage(), e));
        }
        return router.connect(destination)
                .exceptionallyCompose(error -> CompletableFuture.failedFuture(
                        FederationException.unreachable(destination, message(error), unwrap(error))))
                .thenCompose(connection -> exchange(connection, request, body, authorization, accept, reader));
    }

    private <T> CompletableFuture<T> exchange(Connection connection, FederationRequest request, byte[] body,
            String authorization, String accept, Function<FullHttpResponse, T> reader) {
        String destination = request.destination();
        FullHttpRequest out = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1,
                HttpMethod.valueOf(request.method().name()), request.uri(), Unpooled.wrappedBuffer(body));
        out.headers().set(HttpHeaderNames.HOST, destination);
        out.headers().set(HttpHeaderNames.AUTHORIZATION, authorization);
        out.headers().set(HttpHeaderNames.ACCEPT, accept);
        if (request.body() != null) {
            out.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
        }
        return http.send(connection, out).handle((response, error) -> {
            if (error != null) {
                throw FederationException.unreachable(destination, message(error), unwrap(error));
            }
            try {
                return reader.apply(response);
            } finally {
                response.release();
            }
        });
    }

    private static Throwable unwrap(Throwable error) {
        return FederationAnswer.unwrap(error);
    }

    private static String message(Throwable error) {
        return FederationAnswer.message(error);
    }
}
