package dev.hyphae.transport.tor;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's own tor: started with a generated torrc, controlled over its control port, restarted
 * with backoff when it dies, stopped on {@link #close()}. tor also exits by itself when the JVM
 * dies ({@code __OwningControllerProcess}) or the control connection closes ({@code TAKEOWNERSHIP}),
 * so it never outlives the node.
 */
public final class TorProcess implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TorProcess.class);
    private static final List<String> EVENTS = List.of("STATUS_CLIENT", "HS_DESC");
    private static final int KEPT_OUTPUT_LINES = 40;
    /** A tor that ran this long before dying counts as stable: the next restart waits the first delay again. */
    private static final Duration STABLE_UPTIME = Duration.ofMinutes(1);

    private final TorConfig config;
    private final BootstrapListener bootstrapListener;
    private final ScheduledExecutorService restarter;
    private final List<Consumer<Session>> readyHooks = new CopyOnWriteArrayList<>();
    private final List<BiConsumer<Session, String>> hsDescListeners = new CopyOnWriteArrayList<>();
    private final Deque<String> output = new ArrayDeque<>();
    private final Thread shutdownHook;

    private final Object lock = new Object();
    private Session session;
    private int generation;
    private boolean closed;
    private Duration nextRestartDelay;

    /**
     * One run of tor: its process, its authenticated control connection and what it last reported.
     * {@code generation} counts the runs of this TorProcess, starting at 1.
     */
    static final class Session {
        final int generation;
        final Process process;
        final long startedAtNanos;
        volatile ControlPort control;
        volatile InetSocketAddress socksAddress;
        volatile BootstrapStatus bootstrap = new BootstrapStatus(0, "starting", "Starting");
        volatile Thread outputReader;

        Session(int generation, Process process) {
            this.generation = generation;
            this.process = process;
            this.startedAtNanos = System.nanoTime();
        }
    }

    private TorProcess(TorConfig config, BootstrapListener bootstrapListener) {
        this.config = config;
        this.bootstrapListener = bootstrapListener;
        this.nextRestartDelay = config.firstRestartDelay();
        this.restarter = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "tor-restarter");
            thread.setDaemon(true);
            return thread;
        });
        this.shutdownHook = new Thread(this::destroyOnExit, "tor-shutdown");
    }

    /**
     * Starts tor and returns once its control port is authenticated; bootstrapping goes on in the
     * background ({@link #awaitBootstrapped}). Fails with a {@link TorException} saying why tor
     * could not start, including tor's last output lines.
     */
    public static TorProcess start(TorConfig config, BootstrapListener bootstrapListener) {
        TorProcess tor = new TorProcess(config, bootstrapListener);
        Runtime.getRuntime().addShutdownHook(tor.shutdownHook);
        try {
            synchronized (tor.lock) {
                tor.launch();
            }
            return tor;
        } catch (RuntimeException e) {
            tor.close();
            throw e;
        }
    }

    /** Waits until tor reports 100%; throws if it does not within {@code timeout} or tor was closed. */
    public void awaitBootstrapped(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            while (true) {
                if (closed) {
                    throw new TorException("tor was stopped before it bootstrapped");
                }
                if (session != null && session.control != null && session.bootstrap.done()) {
                    return;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new TorException("tor did not bootstrap within " + timeout.toSeconds() + " s; last status: "
                        + (session == null ? "not running" : session.bootstrap) + "; tor's output:\n" + lastOutput());
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(lock, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new TorException("interrupted while waiting for tor to bootstrap", e);
                }
            }
        }
    }

    /** The last bootstrap status of the running tor ({@code 0%} while it is restarting). */
    public BootstrapStatus bootstrapStatus() {
        synchronized (lock) {
            return session == null ? new BootstrapStatus(0, "stopped", "Not running") : session.bootstrap;
        }
    }

    /** The SOCKS5 listener of the running tor; it changes when tor is restarted. */
    public InetSocketAddress socksAddress() {
        Session current = session();
        InetSocketAddress socks = current.socksAddress;
        if (socks == null) {
            // tor opens its SOCKS listener only once its network is enabled
            socks = current.control.socksAddress();
            current.socksAddress = socks;
        }
        return socks;
    }

    /** The operating system's process ID of the running tor. */
    public long pid() {
        synchronized (lock) {
            if (session == null) {
                throw new TorException(closed ? "tor is stopped" : "tor is restarting");
            }
            return session.process.pid();
        }
    }

    /** How many times tor was started by this object: 1 after {@link #start}, one more per restart. */
    public int generation() {
        synchronized (lock) {
            return generation;
        }
    }

    public TorConfig config() {
        return config;
    }

    /** tor's last output lines, for error messages. */
    public String lastOutput() {
        synchronized (output) {
            return String.join("\n", output);
        }
    }

    /**
     * Runs {@code hook} with the session of each tor run once its control port is ready: now if tor
     * is running, and again after every restart (onion services are published again this way).
     */
    void onReady(Consumer<Session> hook) {
        synchronized (lock) {
            readyHooks.add(hook);
            if (session != null && session.control != null) {
                hook.accept(session);
            }
        }
    }

    void removeReadyHook(Consumer<Session> hook) {
        readyHooks.remove(hook);
    }

    void onHsDesc(BiConsumer<Session, String> listener) {
        hsDescListeners.add(listener);
    }

    void removeHsDescListener(BiConsumer<Session, String> listener) {
        hsDescListeners.remove(listener);
    }

    /** The session of the running tor; throws while it is restarting. */
    Session session() {
        synchronized (lock) {
            if (session == null || session.control == null) {
                throw new TorException(closed ? "tor is stopped" : "tor is restarting");
            }
            return session;
        }
    }

    private void launch() {
        Path torBinary = TorBinary.resolve(config.torCommand(), BundledTor.forThisSystem(), config.directory().resolve("bin"));
        writeFiles();
        generation++;
        ProcessBuilder builder = new ProcessBuilder(torBinary.toString(), "-f", config.torrcFile().toString(),
            "--defaults-torrc", config.directory().resolve("torrc-defaults").toString())
            .redirectErrorStream(true);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new TorException("cannot run " + torBinary + ": " + e.getMessage(), e);
        }
        Session started = new Session(generation, process);
        session = started;
        drainOutput(started);
        ControlPort control = null;
        try {
            InetSocketAddress controlAddress = awaitControlPortFile(started);
            control = ControlPort.open(controlAddress, config.cookieFile(), EVENTS, new SessionEvents(started),
                config.startTimeout());
            control.takeOwnership();
            started.control = control;
            BootstrapStatus.parse(control.getInfo("status/bootstrap-phase")).ifPresent(status -> bootstrapped(started, status));
        } catch (RuntimeException e) {
            if (control != null) {
                control.close();
            }
            process.destroyForcibly();
            session = null;
            throw e;
        }
        process.onExit().thenRun(() -> exited(started));
        lock.notifyAll();
        LOG.info("tor {} started (pid {}), control port at {}", started.generation, process.pid(), started.control.address());
        for (Consumer<Session> hook : readyHooks) {
            runHook(hook, started);
        }
    }

    private void runHook(Consumer<Session> hook, Session started) {
        try {
            hook.accept(started);
        } catch (RuntimeException e) {
            LOG.warn("tor {}: a task after start failed: {}", started.generation, e.getMessage());
        }
    }

    private void writeFiles() {
        try {
            Files.createDirectories(config.directory());
            if (!Files.isDirectory(config.dataDirectory())) {
                Files.createDirectories(config.dataDirectory());
                // tor refuses a DataDirectory that others can read
                Files.setPosixFilePermissions(config.dataDirectory(), PosixFilePermissions.fromString("rwx------"));
            }
            Files.deleteIfExists(config.controlPortFile());
            // A cookie left by an earlier run could be read before this tor writes its own.
            Files.deleteIfExists(config.cookieFile());
            Files.writeString(config.torrcFile(), Torrc.render(config, ProcessHandle.current().pid()));
            Files.writeString(config.directory().resolve("torrc-defaults"), "");
        } catch (IOException | UnsupportedOperationException e) {
            throw new TorException("cannot prepare tor's directory " + config.directory() + ": " + e.getMessage(), e);
        }
    }

    private InetSocketAddress awaitControlPortFile(Session started) {
        long deadline = System.nanoTime() + config.startTimeout().toNanos();
        while (true) {
            try {
                String text = Files.readString(config.controlPortFile()).strip();
                if (text.startsWith("PORT=") && text.indexOf(':') > 0) {
                    String hostPort = text.substring("PORT=".length()).split("\\s+")[0];
                    int colon = hostPort.lastIndexOf(':');
                    // A starved tor may write the port file before its cookie: wait for both.
                    if (cookieWritten()) {
                        return new InetSocketAddress(hostPort.substring(0, colon),
                            Integer.parseInt(hostPort.substring(colon + 1)));
                    }
                }
            } catch (NoSuchFileException e) {
                // not written yet
            } catch (IOException | NumberFormatException e) {
                throw new TorException("cannot read tor's control port file " + config.controlPortFile() + ": " + e.getMessage(), e);
            }
            if (!started.process.isAlive()) {
                waitQuietly(started.process);
                joinQuietly(started.outputReader);
                throw new TorException("tor exited with status " + started.process.exitValue()
                    + " before opening its control port; tor's output:\n" + lastOutput());
            }
            if (System.nanoTime() > deadline) {
                throw new TorException("tor opened no control port, or wrote no cookie for it, within " + config.startTimeout().toSeconds()
                    + " s; tor's output:\n" + lastOutput());
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new TorException("interrupted while starting tor", e);
            }
        }
    }

    private boolean cookieWritten() throws IOException {
        try {
            return Files.size(config.cookieFile()) >= ControlPort.COOKIE_LENGTH;
        } catch (NoSuchFileException e) {
            return false;
        }
    }

    /** Lets the reader take in tor's last lines, so an error can show them. */
    private static void joinQuietly(Thread reader) {
        try {
            if (reader != null) {
                reader.join(2000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void waitQuietly(Process process) {
        try {
            process.waitFor(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void drainOutput(Session started) {
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(started.process.getInputStream(),
                StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    LOG.debug("tor {}: {}", started.generation, line);
                    synchronized (output) {
                        if (output.size() == KEPT_OUTPUT_LINES) {
                            output.removeFirst();
                        }
                        output.addLast(line);
                    }
                }
            } catch (IOException e) {
                // the process is gone; nothing more to read
            }
        }, "tor-output-" + started.generation);
        reader.setDaemon(true);
        started.outputReader = reader;
        reader.start();
    }

    private void bootstrapped(Session from, BootstrapStatus status) {
        synchronized (lock) {
            if (from != session) {
                return;
            }
            from.bootstrap = status;
            lock.notifyAll();
        }
        try {
            bootstrapListener.bootstrapProgress(status);
        } catch (RuntimeException e) {
            LOG.warn("bootstrap listener failed: {}", e.toString());
        }
    }

    private void exited(Session ended) {
        synchronized (lock) {
            if (ended != session) {
                return;
            }
            session = null;
            lock.notifyAll();
            if (ended.control != null) {
                ended.control.close();
            }
            if (closed) {
                return;
            }
            Duration uptime = Duration.ofNanos(System.nanoTime() - ended.startedAtNanos);
            if (uptime.compareTo(STABLE_UPTIME) >= 0) {
                nextRestartDelay = config.firstRestartDelay();
            }
            LOG.warn("tor {} (pid {}) exited with status {} after {} s; restarting in {} ms; last output:\n{}",
                ended.generation, ended.process.pid(), ended.process.exitValue(), uptime.toSeconds(),
                nextRestartDelay.toMillis(), lastOutput());
            scheduleRestart();
        }
    }

    private void scheduleRestart() {
        Duration delay = nextRestartDelay;
        Duration doubled = nextRestartDelay.multipliedBy(2);
        nextRestartDelay = doubled.compareTo(config.maxRestartDelay()) > 0 ? config.maxRestartDelay() : doubled;
        if (nextRestartDelay.isZero()) {
            nextRestartDelay = Duration.ofMillis(100).compareTo(config.maxRestartDelay()) > 0
                ? config.maxRestartDelay() : Duration.ofMillis(100);
        }
        try {
            restarter.schedule(this::restart, delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closed meanwhile
        }
    }

    private void restart() {
        synchronized (lock) {
            if (closed || session != null) {
                return;
            }
            try {
                launch();
            } catch (RuntimeException e) {
                LOG.warn("restarting tor failed: {}; next try in {} ms", e.getMessage(), nextRestartDelay.toMillis());
                scheduleRestart();
            }
        }
    }

    /** Stops tor: SIGTERM, then SIGKILL if it has not exited after 5 s. Idempotent. */
    @Override
    public void close() {
        Session ending;
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            ending = session;
            session = null;
            lock.notifyAll();
        }
        restarter.shutdownNow();
        if (ending != null) {
            if (ending.control != null) {
                ending.control.close();
            }
            stop(ending.process);
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down; the hook runs anyway
        }
    }

    private void destroyOnExit() {
        Session ending;
        synchronized (lock) {
            closed = true;
            ending = session;
        }
        if (ending != null) {
            ending.process.descendants().forEach(ProcessHandle::destroyForcibly);
            ending.process.destroyForcibly();
        }
    }

    private static void stop(Process process) {
        List<ProcessHandle> children = new ArrayList<>(process.descendants().toList());
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        children.forEach(ProcessHandle::destroyForcibly);
    }

    /** Events of one session's control connection. */
    private final class SessionEvents implements ControlPort.Events {
        private final Session owner;

        SessionEvents(Session owner) {
            this.owner = owner;
        }

        @Override
        public void event(String type, String body) {
            if ("STATUS_CLIENT".equals(type)) {
                BootstrapStatus.parse(body).ifPresent(status -> bootstrapped(owner, status));
            } else if ("HS_DESC".equals(type)) {
                for (BiConsumer<Session, String> listener : hsDescListeners) {
                    try {
                        listener.accept(owner, body);
                    } catch (RuntimeException e) {
                        LOG.warn("HS_DESC listener failed: {}", e.toString());
                    }
                }
            }
        }

        @Override
        public void closed() {
            LOG.debug("tor {}: control connection closed", owner.generation);
        }
    }
}
