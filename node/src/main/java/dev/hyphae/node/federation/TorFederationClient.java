package dev.hyphae.node.federation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hyphae.transport.router.OnionAddress;
import dev.hyphae.transport.tor.TorHttpClient;
import dev.hyphae.transport.tor.TorHttpResponse;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Makes federation requests over Tor: signs each with X-Matrix and sends it as HTTP/1.1 through
 * tor's SOCKS port to port 80 of the destination's onion service (its server name). A server name
 * that is no onion address, a service tor cannot reach, or a timeout is
 * {@link FederationException#unreachable()}; answers are read as over libp2p.
 */
public final class TorFederationClient implements FederationClient {
    private final XMatrixSigner signer;
    private final TorHttpClient http;

    public TorFederationClient(XMatrixSigner signer, TorHttpClient http) {
        this.signer = Objects.requireNonNull(signer, "signer");
        this.http = Objects.requireNonNull(http, "http");
    }

    @Override
    public CompletableFuture<JsonNode> request(FederationRequest request) {
        return send(request, "application/json", response -> FederationAnswer.read(request.destination(),
                response.status(), "HTTP " + response.status(), response.body()));
    }

    @Override
    public CompletableFuture<FederationBytes> requestBytes(FederationRequest request) {
        return send(request, "*/*", response -> FederationAnswer.readBytes(request.destination(),
                response.status(), "HTTP " + response.status(), response.headers().get(HttpHeaderNames.CONTENT_TYPE),
                response.body()));
    }

    private <T> CompletableFuture<T> send(FederationRequest request, String accept, Function<TorHttpResponse, T> reader) {
        String destination = request.destination();
        byte[] body;
        String authorization;
        try {
            body = request.body() == null ? new byte[0] : FederationAnswer.JSON.writeValueAsBytes(request.body());
            authorization = signer.authorization(request.method().name(), request.uri(), destination, request.body());
        } catch (Exception e) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("cannot sign " + request.method() + " "
                    + request.uri() + ": " + e.getMessage(), e));
        }
        try {
            OnionAddress.parse(destination);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(FederationException.unreachable(destination,
                    "not an onion address, so not reachable over Tor", e));
        }
        FullHttpRequest out = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1,
                HttpMethod.valueOf(request.method().name()), request.uri(), Unpooled.wrappedBuffer(body));
        out.headers().set(HttpHeaderNames.AUTHORIZATION, authorization);
        out.headers().set(HttpHeaderNames.ACCEPT, accept);
        if (request.body() != null) {
            out.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
        }
        // The Host header is the onion address, which is the destination's server name.
        return http.send(destination, out).handle((response, error) -> {
            if (error != null) {
                throw FederationException.unreachable(destination, FederationAnswer.message(error),
                        FederationAnswer.unwrap(error));
            }
            return reader.apply(response);
        });
    }
}
