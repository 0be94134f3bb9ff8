package dev.hyphae.cli;

import dev.hyphae.transport.libp2p.host.HostConfig;
import dev.hyphae.transport.libp2p.host.Libp2pHost;
import dev.hyphae.transport.libp2p.multiaddr.Multiaddr;
import dev.hyphae.transport.libp2p.peer.PrivateKey;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A short-lived libp2p host for the {@code p2p} commands: a fresh key (so it never clashes with a
 * running node's identity), no listen address, and failures turned into one-line reasons.
 */
final class P2pClient implements AutoCloseable {
    private static final long WAIT_SECONDS = 30;

    final Libp2pHost host;

    P2pClient(List<Multiaddr> bootstrap) throws IOException {
        SecureRandom random = new SecureRandom();
        host = new Libp2pHost(PrivateKey.generate(random), HostConfig.defaults(List.of(), bootstrap), random,
                Clock.systemUTC());
        host.start();
    }

    /** The future's value; its failure becomes an exception whose message is the innermost reason. */
    static <T> T await(CompletableFuture<T> future, String what) {
        try {
            return future.get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException | CompletionException e) {
            throw new IllegalStateException(what + " failed: " + reason(e), e);
        } catch (TimeoutException e) {
            throw new IllegalStateException(what + " timed out", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(what + " interrupted", e);
        }
    }

    private static String reason(Throwable e) {
        Throwable cause = e;
        while ((cause instanceof ExecutionException || cause instanceof CompletionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        String message = cause.getMessage();
        if (message == null || message.isBlank()) {
            message = cause.getClass().getSimpleName();
        }
        if (cause.getCause() != null && cause.getCause().getMessage() != null
                && !message.contains(cause.getCause().getMessage())) {
            message += " (" + cause.getCause().getMessage() + ")";
        }
        return message;
    }

    @Override
    public void close() {
        host.close();
    }
}
