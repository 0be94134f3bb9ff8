package dev.hyphae.transport.tor;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Control-port failures give errors that say what went wrong, against a fake control port. */
class ControlPortTest {
    private static final ControlPort.Events NO_EVENTS = new ControlPort.Events() {
        @Override
        public void event(String type, String body) {
        }

        @Override
        public void closed() {
        }
    };

    @TempDir
    Path dir;
    private Path cookie;
    private ServerSocket server;
    private final List<String> received = new CopyOnWriteArrayList<>();

    @BeforeEach
    void writeCookie() throws IOException {
        cookie = dir.resolve("control_auth_cookie");
        Files.write(cookie, new byte[32]);
    }

    @AfterEach
    void stopServer() throws IOException {
        if (server != null) {
            server.close();
        }
    }

    /** A control port that answers each command line with {@code answer.apply(line)}, or not at all for null. */
    private InetSocketAddress fakeControlPort(Function<String, String> answer) throws IOException {
        server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        Thread thread = new Thread(() -> {
            try (Socket socket = server.accept()) {
                BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
                OutputStream out = socket.getOutputStream();
                String line;
                while ((line = in.readLine()) != null) {
                    received.add(line);
                    String reply = answer.apply(line);
                    if (reply != null) {
                        out.write(reply.getBytes(StandardCharsets.US_ASCII));
                        out.flush();
                    }
                }
            } catch (IOException e) {
                // the test is over
            }
        });
        thread.setDaemon(true);
        thread.start();
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort());
    }

    @Test
    void nothingListeningOnTheControlPortSaysSo() throws IOException {
        int port;
        try (ServerSocket unused = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = unused.getLocalPort();
        }
        InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);

        TorException e = assertThrows(TorException.class,
            () -> ControlPort.open(address, cookie, List.of(), NO_EVENTS, Duration.ofSeconds(5)));

        assertTrue(e.getMessage().contains("cannot connect to tor's control port at 127.0.0.1:" + port), e.getMessage());
    }

    @Test
    void aRejectedCookieSaysTorRefusedTheAuthentication() throws IOException {
        InetSocketAddress address = fakeControlPort(line -> "515 Authentication failed: Safe cookie response did not match expected value.\r\n");

        TorException e = assertThrows(TorException.class,
            () -> ControlPort.open(address, cookie, List.of(), NO_EVENTS, Duration.ofSeconds(5)));

        assertTrue(e.getMessage().startsWith("AUTHENTICATE: tor refused"), e.getMessage());
        assertTrue(e.getMessage().contains("Authentication failed"), e.getMessage());
        assertTrue(received.get(0).startsWith("AUTHENTICATE 0000"), received.toString());
    }

    @Test
    void aControlPortThatNeverAnswersTimesOut() throws IOException {
        InetSocketAddress address = fakeControlPort(line -> null);

        TorException e = assertThrows(TorException.class,
            () -> ControlPort.open(address, cookie, List.of(), NO_EVENTS, Duration.ofMillis(500)));

        assertTrue(e.getMessage().contains("gave no answer within 500 ms"), e.getMessage());
    }

    @Test
    void aMissingCookieFileSaysWhereItWasExpected() throws IOException {
        InetSocketAddress address = fakeControlPort(line -> "250 OK\r\n");
        Path missing = dir.resolve("nothing-here");

        TorException e = assertThrows(TorException.class,
            () -> ControlPort.open(address, missing, List.of(), NO_EVENTS, Duration.ofSeconds(5)));

        assertTrue(e.getMessage().contains("no control port cookie at " + missing), e.getMessage());
    }

    @Test
    void aCookieOfTheWrongLengthIsRefusedBeforeConnecting() throws IOException {
        Files.write(cookie, new byte[31]);
        InetSocketAddress address = fakeControlPort(line -> "250 OK\r\n");

        TorException e = assertThrows(TorException.class,
            () -> ControlPort.open(address, cookie, List.of(), NO_EVENTS, Duration.ofSeconds(5)));

        assertTrue(e.getMessage().contains("has 31 bytes, not 32"), e.getMessage());
        assertTrue(received.isEmpty(), received.toString());
    }

    @Test
    void aRefusedAddOnionCarriesTorsReason() throws IOException {
        InetSocketAddress address = fakeControlPort(line -> line.startsWith("ADD_ONION")
            ? "512 Bad arguments to ADD_ONION: Failed to decode ED25519-V3 key\r\n" : "250 OK\r\n");
        byte[] key = new byte[64];
        key[31] = 0x40;

        try (ControlPort control = ControlPort.open(address, cookie, List.of("HS_DESC"), NO_EVENTS, Duration.ofSeconds(5))) {
            TorException e = assertThrows(TorException.class,
                () -> control.addOnion(key, 80, new InetSocketAddress(InetAddress.getLoopbackAddress(), 8080)));

            assertTrue(e.getMessage().contains("tor refused"), e.getMessage());
            assertTrue(e.getMessage().contains("Failed to decode ED25519-V3 key"), e.getMessage());
        }
        assertTrue(received.contains("SETEVENTS HS_DESC"), received.toString());
    }
}
