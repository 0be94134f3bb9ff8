package dev.hyphae.transport.tor;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An onion service published from the node's own Ed25519 key ({@code ADD_ONION ED25519-V3}),
 * mapping virtual port 80 to a loopback listener. It is published again whenever its tor restarts.
 */
public final class OnionService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OnionService.class);
    public static final int VIRTUAL_PORT = 80;
    /** RFC 8032's expansion of a 32-byte seed: SHA-512 of it, clamped. */
    public static final int EXPANDED_SECRET_KEY_LENGTH = 64;

    private final TorProcess tor;
    private final byte[] expandedSecretKey;
    private final String serviceId;
    private final InetSocketAddress target;
    private final Consumer<TorProcess.Session> publisher = this::publishOn;
    private final BiConsumer<TorProcess.Session, String> uploads = this::hsDesc;

    private final Object lock = new Object();
    private int addedGeneration;
    private int uploadedGeneration;
    private boolean closed;
    private RuntimeException lastFailure;

    private OnionService(TorProcess tor, byte[] expandedSecretKey, String serviceId, InetSocketAddress target) {
        this.tor = tor;
        this.expandedSecretKey = expandedSecretKey;
        this.serviceId = serviceId;
        this.target = target;
    }

    /**
     * Publishes the onion service of {@code expandedSecretKey} on {@code tor}, forwarding port 80 to
     * {@code target}, and waits until its descriptor is uploaded to at least one HSDir.
     *
     * @param expandedSecretKey the 64-byte RFC 8032 expanded secret key (the node's
     *                          {@code NodeIdentity.torExpandedSecretKey()})
     * @param expectedAddress   the onion address the key must give ({@code <56 chars>.onion}, the node's
     *                          server name); a key that gives another address is refused
     * @param target            a loopback address where the node serves HTTP
     */
    public static OnionService publish(TorProcess tor, byte[] expandedSecretKey, String expectedAddress,
                                       InetSocketAddress target, Duration timeout) {
        Objects.requireNonNull(tor, "tor");
        checkExpandedKey(expandedSecretKey);
        String serviceId = serviceIdOf(expectedAddress);
        if (target == null || target.isUnresolved() || !target.getAddress().isLoopbackAddress()) {
            throw new IllegalArgumentException("an onion service forwards only to a loopback address, not " + target);
        }
        OnionService service = new OnionService(tor, expandedSecretKey.clone(), serviceId, target);
        tor.onHsDesc(service.uploads);
        try {
            tor.onReady(service.publisher);
            service.awaitPublished(timeout);
            return service;
        } catch (RuntimeException e) {
            service.close();
            throw e;
        }
    }

    /** The service ID: the onion address without {@code .onion}. */
    public String serviceId() {
        return serviceId;
    }

    /** The onion address, {@code <service id>.onion}: the node's server name. */
    public String address() {
        return serviceId + ".onion";
    }

    /**
     * Waits until the service is published (descriptor uploaded) on the tor that runs now, e.g.
     * after tor was restarted.
     */
    public void awaitPublished(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            // read outside this service's lock: TorProcess calls into it while holding its own
            int current = tor.generation();
            synchronized (lock) {
                if (closed) {
                    throw new TorException("onion service " + address() + " is closed"
                        + (lastFailure == null ? "" : ": " + lastFailure.getMessage()));
                }
                if (uploadedGeneration == current && addedGeneration == current) {
                    return;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new TorException("onion service " + address() + " was not published within "
                        + timeout.toSeconds() + " s" + (lastFailure == null ? "" : ": " + lastFailure.getMessage()));
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(lock, Math.min(left, TimeUnit.MILLISECONDS.toNanos(200)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new TorException("interrupted while publishing " + address(), e);
                }
            }
        }
    }

    private void publishOn(TorProcess.Session session) {
        String returned;
        try {
            returned = session.control.addOnion(expandedSecretKey, VIRTUAL_PORT, target);
        } catch (RuntimeException e) {
            synchronized (lock) {
                lastFailure = e;
                lock.notifyAll();
            }
            throw e;
        }
        if (!returned.equals(serviceId)) {
            session.control.delOnion(returned);
            TorException mismatch = new TorException("tor derived onion service " + returned
                + ".onion from the key, but the expected address is " + address());
            synchronized (lock) {
                lastFailure = mismatch;
                closed = true;
                lock.notifyAll();
            }
            throw mismatch;
        }
        synchronized (lock) {
            addedGeneration = session.generation;
            lock.notifyAll();
        }
        LOG.info("onion service {} added to tor {}", address(), session.generation);
    }

    /** {@code HS_DESC UPLOADED <service id> ...}: one HSDir has the descriptor; clients can now find it. */
    private void hsDesc(TorProcess.Session session, String body) {
        String[] words = body.strip().split("\\s+");
        int start = words.length > 0 && "HS_DESC".equals(words[0]) ? 1 : 0;
        if (words.length < start + 2 || !words[start + 1].equals(serviceId)) {
            return;
        }
        String action = words[start];
        if ("UPLOADED".equals(action)) {
            synchronized (lock) {
                if (uploadedGeneration != session.generation) {
                    LOG.info("onion service {} published by tor {}", address(), session.generation);
                }
                uploadedGeneration = session.generation;
                lock.notifyAll();
            }
        } else if ("FAILED".equals(action)) {
            LOG.debug("onion service {}: descriptor upload failed: {}", address(), body);
        }
    }

    /** Removes the service from tor (if tor runs) and stops publishing it after restarts. */
    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
            lock.notifyAll();
        }
        tor.removeReadyHook(publisher);
        tor.removeHsDescListener(uploads);
        try {
            tor.session().control.delOnion(serviceId);
        } catch (TorException e) {
            // tor is stopped or restarting: the service went with it
        }
    }

    /** The service ID of an onion address, checked to be a v3 address. */
    static String serviceIdOf(String address) {
        if (address == null) {
            throw new IllegalArgumentException("onion address is null");
        }
        String lower = address.toLowerCase(Locale.ROOT);
        String id = lower.endsWith(".onion") ? lower.substring(0, lower.length() - ".onion".length()) : lower;
        if (id.length() != 56 || !id.chars().allMatch(c -> (c >= 'a' && c <= 'z') || (c >= '2' && c <= '7'))) {
            throw new IllegalArgumentException("not a v3 onion address (56 base32 characters + .onion): " + address);
        }
        return id;
    }

    /**
     * Refuses anything but an RFC 8032 expanded key: the common mistake is passing seed || public
     * key (also 64 bytes), which tor would take and turn into another address.
     */
    static void checkExpandedKey(byte[] key) {
        if (key == null || key.length != EXPANDED_SECRET_KEY_LENGTH) {
            throw new IllegalArgumentException("the expanded Ed25519 secret key must have 64 bytes, not "
                + (key == null ? "null" : key.length));
        }
        boolean clamped = (key[0] & 7) == 0 && (key[31] & 0x80) == 0 && (key[31] & 0x40) != 0;
        if (!clamped) {
            throw new IllegalArgumentException("not an RFC 8032 expanded secret key (its scalar is not clamped);"
                + " pass SHA-512(seed) with the clamping applied, not seed || public key");
        }
    }
}
