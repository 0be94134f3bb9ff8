package dev.hyphae.transport.tor;

import io.netty.handler.codec.http.HttpHeaders;
import java.nio.charset.StandardCharsets;

/** An HTTP response read over tor, its body copied out of Netty's buffers. */
public record TorHttpResponse(int status, HttpHeaders headers, byte[] body) {
    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }
}
