package dev.hyphae.node.federation;

import com.fasterxml.jackson.databind.JsonNode;

/** Takes the EDUs of one type that arrive in transactions. */
@FunctionalInterface
public interface EduReceiver {
    /**
     * Handles one EDU's {@code content} sent by {@code origin}. Must not trust the content: a bad
     * EDU is dropped with a log line, never thrown to the caller.
     */
    void receive(String origin, JsonNode content);
}
