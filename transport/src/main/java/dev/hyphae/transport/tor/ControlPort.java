package dev.hyphae.transport.tor;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import net.freehaven.tor.control.EventHandler;
import net.freehaven.tor.control.TorControlConnection;
import net.freehaven.tor.control.TorControlException;

/**
 * One authenticated connection to tor's control port, driven by jtorctl. Every command has a
 * deadline: a tor that stops answering closes the connection instead of blocking the node.
 */
final class ControlPort implements AutoCloseable {
    /** tor's control auth cookie is 32 random bytes. */
    static final int COOKIE_LENGTH = 32;

    /** Receives asynchronous events ({@code 650 TYPE body}) and the end of the connection. */
    interface Events {
        void event(String type, String body);

        void closed();
    }

    @FunctionalInterface
    private interface Command<T> {
        T run() throws IOException;
    }

    private final InetSocketAddress address;
    private final Socket socket;
    private final TorControlConnection connection;
    private final Duration commandTimeout;
    private final ExecutorService commands;
    /** Events are handed on from jtorctl's reader thread, which must stay free to read command replies. */
    private final ExecutorService eventDelivery;

    private ControlPort(InetSocketAddress address, Socket socket, TorControlConnection connection, Duration commandTimeout) {
        this.address = address;
        this.socket = socket;
        this.connection = connection;
        this.commandTimeout = commandTimeout;
        this.commands = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "tor-control-" + address.getPort());
            thread.setDaemon(true);
            return thread;
        });
        this.eventDelivery = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "tor-events-" + address.getPort());
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Connects to the control port at {@code address}, authenticates with the cookie in
     * {@code cookieFile} and subscribes to {@code eventTypes}.
     */
    static ControlPort open(InetSocketAddress address, Path cookieFile, List<String> eventTypes, Events events,
                            Duration commandTimeout) {
        byte[] cookie = readCookie(cookieFile);
        Socket socket = new Socket();
        try {
            socket.connect(address, (int) Math.min(Integer.MAX_VALUE, commandTimeout.toMillis()));
        } catch (IOException e) {
            closeQuietly(socket);
            throw new TorException("cannot connect to tor's control port at " + describe(address) + ": " + e.getMessage(), e);
        }
        ControlPort port;
        try {
            TorControlConnection connection = new TorControlConnection(socket);
            port = new ControlPort(address, socket, connection, commandTimeout);
            connection.setEventHandler(new EventAdapter(events, port.eventDelivery));
            connection.launchThread(true);
        } catch (IOException e) {
            closeQuietly(socket);
            throw new TorException("cannot read tor's control port at " + describe(address) + ": " + e.getMessage(), e);
        }
        try {
            port.call("AUTHENTICATE", () -> {
                port.connection.authenticate(cookie);
                return null;
            });
            if (!eventTypes.isEmpty()) {
                port.call("SETEVENTS " + String.join(" ", eventTypes), () -> {
                    port.connection.setEvents(eventTypes);
                    return null;
                });
            }
            return port;
        } catch (RuntimeException e) {
            port.close();
            throw e;
        }
    }

    /** Makes tor exit when this connection closes, so tor cannot outlive the node that controls it. */
    void takeOwnership() {
        call("TAKEOWNERSHIP", () -> {
            connection.takeOwnership();
            return null;
        });
    }

    String getInfo(String key) {
        return call("GETINFO " + key, () -> connection.getInfo(key));
    }

    /** The address of tor's SOCKS listener on loopback. */
    InetSocketAddress socksAddress() {
        String listeners = getInfo("net/listeners/socks").strip();
        String first = listeners.split("\\s+")[0].replace("\"", "");
        int colon = first.lastIndexOf(':');
        if (first.isEmpty() || colon < 0) {
            throw new TorException("tor reports no SOCKS listener: '" + listeners + "'");
        }
        try {
            return new InetSocketAddress(first.substring(0, colon), Integer.parseInt(first.substring(colon + 1)));
        } catch (IllegalArgumentException e) {
            throw new TorException("cannot read tor's SOCKS listener '" + listeners + "'", e);
        }
    }

    /**
     * {@code ADD_ONION ED25519-V3:<key> Port=80,<target>}: publishes an onion service from a key the
     * node holds and returns the service ID tor derived from it.
     */
    String addOnion(byte[] expandedSecretKey, int virtualPort, InetSocketAddress target) {
        String key = "ED25519-V3:" + Base64.getEncoder().encodeToString(expandedSecretKey);
        String targetText = target.getAddress().getHostAddress() + ":" + target.getPort();
        Map<String, String> reply = call("ADD_ONION ED25519-V3 Port=" + virtualPort + "," + targetText,
            () -> connection.addOnion(key, Map.of(virtualPort, targetText), List.of()));
        String serviceId = reply.get("onionAddress");
        if (serviceId == null || serviceId.isEmpty()) {
            throw new TorException("tor answered ADD_ONION without a ServiceID: " + reply.keySet());
        }
        return serviceId;
    }

    /** {@code SIGNAL NAME}, e.g. NEWNYM: new circuits for new streams, cached onion descriptors forgotten. */
    void signal(String name) {
        call("SIGNAL " + name, () -> {
            connection.signal(name);
            return null;
        });
    }

    void delOnion(String serviceId) {
        call("DEL_ONION " + serviceId, () -> {
            connection.delOnion(serviceId);
            return null;
        });
    }

    InetSocketAddress address() {
        return address;
    }

    private <T> T call(String what, Command<T> command) {
        Future<T> result;
        try {
            result = commands.submit(command::run);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            throw new TorException(what + ": the control connection to " + describe(address) + " is closed", e);
        }
        try {
            return result.get(commandTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            result.cancel(true);
            close();
            throw new TorException(what + ": tor's control port at " + describe(address) + " gave no answer within "
                + commandTimeout.toMillis() + " ms", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TorException(what + ": interrupted", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof TorControlException rejected) {
                throw new TorException(what + ": tor refused: " + rejected.getMessage(), rejected);
            }
            if ("AUTHENTICATE".equals(what) && cause instanceof IOException) {
                throw new TorException(what + ": tor's control port at " + describe(address)
                    + " closed the connection during authentication: " + cause.getMessage(), cause);
            }
            throw new TorException(what + ": control connection to " + describe(address) + " failed: "
                + cause.getMessage(), cause);
        }
    }

    private static byte[] readCookie(Path cookieFile) {
        byte[] cookie;
        try {
            cookie = Files.readAllBytes(cookieFile);
        } catch (NoSuchFileException e) {
            throw new TorException("tor wrote no control port cookie at " + cookieFile
                + " (is CookieAuthentication on?)", e);
        } catch (IOException e) {
            throw new TorException("cannot read tor's control port cookie " + cookieFile + ": " + e.getMessage(), e);
        }
        if (cookie.length != COOKIE_LENGTH) {
            throw new TorException("tor's control port cookie " + cookieFile + " has " + cookie.length
                + " bytes, not " + COOKIE_LENGTH);
        }
        return cookie;
    }

    @Override
    public void close() {
        commands.shutdownNow();
        closeQuietly(socket);
        eventDelivery.shutdown();
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing is best effort; the socket is unusable either way
        }
    }

    private static String describe(InetSocketAddress address) {
        String host = address.getAddress() != null ? address.getAddress().getHostAddress() : address.getHostString();
        return host + ":" + address.getPort();
    }

    /** jtorctl hands events it does not parse itself (STATUS_CLIENT, HS_DESC) to {@code unrecognized}. */
    private static final class EventAdapter implements EventHandler {
        private final Events events;
        private final ExecutorService delivery;

        EventAdapter(Events events, ExecutorService delivery) {
            this.events = events;
            this.delivery = delivery;
        }

        private void deliver(Runnable task) {
            try {
                delivery.execute(task);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // the connection is closed; late events have no one to go to
            }
        }

        @Override
        public void circuitStatus(String status, String circuitId, String path) {
        }

        @Override
        public void streamStatus(String status, String streamId, String target) {
        }

        @Override
        public void orConnStatus(String status, String orName) {
        }

        @Override
        public void bandwidthUsed(long read, long written) {
        }

        @Override
        public void newDescriptors(List<String> orList) {
        }

        @Override
        public void message(String severity, String message) {
        }

        @Override
        public void unrecognized(String type, String message) {
            deliver(() -> events.event(type, message));
        }

        @Override
        public void controlConnectionClosed() {
            deliver(events::closed);
        }
    }
}
