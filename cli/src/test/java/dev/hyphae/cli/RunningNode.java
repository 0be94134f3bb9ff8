package dev.hyphae.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code hyphae run} in this JVM, as a user starts it: open registration, the client-server API and
 * libp2p on free loopback ports, a data directory of the test's. Closing it stops the node like
 * Ctrl-C and checks that it exited cleanly.
 */
final class RunningNode implements AutoCloseable {
    private static final Pattern URL = Pattern.compile("Homeserver URL: (http://\\S+)");
    private static final long START_TIMEOUT_MS = 60_000;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private final AtomicInteger exitCode = new AtomicInteger(-1);
    private final Thread thread;
    private final String url;

    RunningNode(Path dataDir) throws InterruptedException {
        thread = new Thread(() -> exitCode.set(Hyphae.execute(new String[] {"run", "--data-dir", dataDir.toString(),
                "--listen", "127.0.0.1:0", "--open-registration", "--p2p-listen", "/ip4/127.0.0.1/tcp/0", "--no-tor",
                "--no-mdns"},
                new PrintWriter(out, true), new PrintWriter(err, true))), "hyphae-run-test");
        thread.start();
        long deadline = System.currentTimeMillis() + START_TIMEOUT_MS;
        Matcher matcher = URL.matcher("");
        while (thread.isAlive() && System.currentTimeMillis() < deadline) {
            matcher = URL.matcher(out.toString());
            if (matcher.find()) {
                break;
            }
            Thread.sleep(50);
        }
        if (!matcher.find(0)) {
            close();
            throw new IllegalStateException("the node did not start: " + out + err);
        }
        url = matcher.group(1);
    }

    /** The homeserver URL the node printed, {@code http://127.0.0.1:<port>}. */
    String url() {
        return url;
    }

    @Override
    public void close() throws InterruptedException {
        thread.interrupt();
        thread.join(30_000);
        if (thread.isAlive() || exitCode.get() != 0) {
            throw new IllegalStateException("the node did not stop cleanly (exit " + exitCode.get() + "): " + err);
        }
    }
}
