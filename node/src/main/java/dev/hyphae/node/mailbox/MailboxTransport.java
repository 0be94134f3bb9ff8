package dev.hyphae.node.mailbox;

import java.util.concurrent.CompletableFuture;

/**
 * Carries a padded body to a mailbox's endpoint and brings back the answer: over Tor in a running
 * node ({@link TorMailboxTransport}), in-process in tests. Completes exceptionally only when the
 * mailbox was not reached.
 */
@FunctionalInterface
public interface MailboxTransport {
    /** The paths a mailbox serves (POST, binary bodies). */
    String DEPOSIT_PATH = "/_hyphae/mailbox/v1/deposit";
    String FETCH_PATH = "/_hyphae/mailbox/v1/fetch";

    CompletableFuture<Reply> post(String mailbox, String path, byte[] body);

    /** The mailbox's answer: HTTP status and body. */
    record Reply(int status, byte[] body) {
        public Reply {
            body = body.clone();
        }

        @Override
        public byte[] body() {
            return body.clone();
        }

        public String text() {
            return new String(body, java.nio.charset.StandardCharsets.UTF_8);
        }
    }
}
