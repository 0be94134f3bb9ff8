package dev.hyphae.cli;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Threads that the nodes of one process share instead of each owning its own: a node alone in its
 * process makes ~20 threads, so a hundred nodes would make two thousand that mostly wait. Nodes
 * borrow these and never shut them down; whoever made them closes them after the last node.
 *
 * @param eventLoops sockets of every node's libp2p host and client-server API
 * @param clientHandlers client-server API handlers of every node
 * @param sync {@code /sync} runs after a wake-up
 * @param timers the once-a-second expiry of typing notices and presence
 * @param profileUpdates member events sent to every joined room after a profile change
 */
record SharedResources(EventLoopGroup eventLoops, ExecutorService clientHandlers, ExecutorService sync,
        ScheduledExecutorService timers, ExecutorService profileUpdates) implements AutoCloseable {

    // Requests queued for a client handler before the API answers 429; a test network's clients
    // wait for their answers, so this is only reached when something is stuck.
    private static final int CLIENT_QUEUE = 10_000;

    SharedResources {
        Objects.requireNonNull(eventLoops, "eventLoops");
        Objects.requireNonNull(clientHandlers, "clientHandlers");
        Objects.requireNonNull(sync, "sync");
        Objects.requireNonNull(timers, "timers");
        Objects.requireNonNull(profileUpdates, "profileUpdates");
    }

    /**
     * Sized for this machine rather than for the number of nodes: the work is bounded by the cores,
     * and a node waiting on a socket or a long poll holds no thread.
     */
    static SharedResources forThisMachine() {
        int cores = Runtime.getRuntime().availableProcessors();
        int handlers = Math.max(4, 4 * cores);
        return new SharedResources(
                new NioEventLoopGroup(Math.max(2, 2 * cores), new DefaultThreadFactory("shared-io", true)),
                new ThreadPoolExecutor(handlers, handlers, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(CLIENT_QUEUE),
                        new DefaultThreadFactory("shared-client-handler", true)),
                Executors.newFixedThreadPool(Math.max(2, cores), new DefaultThreadFactory("shared-sync", true)),
                Executors.newSingleThreadScheduledExecutor(new DefaultThreadFactory("shared-timer", true)),
                Executors.newSingleThreadExecutor(new DefaultThreadFactory("shared-profile-updates", true)));
    }

    /** Stops every shared thread; call after the last node that borrowed them closed. */
    @Override
    public void close() {
        clientHandlers.shutdownNow();
        sync.shutdownNow();
        timers.shutdownNow();
        profileUpdates.shutdownNow();
        eventLoops.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
    }
}
