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
 * @param timers the once-a-second expiry of typing notices and presence, and the publication of
 *     each node's mailbox record (both quick: a publication only starts a DHT put)
 * @param profileUpdates member events sent to every joined room after a profile change
 * @param deviceListPruning the check, after a membership change, whether a remote user's cached
 *     device list is still needed (one store read a change)
 */
record SharedResources(EventLoopGroup eventLoops, ExecutorService clientHandlers, ExecutorService sync,
        ScheduledExecutorService timers, ExecutorService profileUpdates, ExecutorService deviceListPruning)
        implements AutoCloseable {

    // Requests queued for a client handler before the API answers 429; a test network's clients
    // wait for their answers, so this is only reached when something is stuck.
    private static final int CLIENT_QUEUE = 10_000;
    private static final int MAX_POOL = 32;
    private static final int MAX_LOOPS = 32;

    SharedResources {
        Objects.requireNonNull(eventLoops, "eventLoops");
        Objects.requireNonNull(clientHandlers, "clientHandlers");
        Objects.requireNonNull(sync, "sync");
        Objects.requireNonNull(timers, "timers");
        Objects.requireNonNull(profileUpdates, "profileUpdates");
        Objects.requireNonNull(deviceListPruning, "deviceListPruning");
    }

    /**
     * Sized for the cores and, up to a cap, for the nodes. The socket loops carry every node's
     * encryption, muxing and HTTP parsing: on a machine shared with other busy processes, the
     * scheduler gives each runnable thread its turn, so a handful of loops for a hundred nodes
     * starve (measured: 4 loops for 30 nodes at load 40-60 left the loops 75% runnable and
     * federation requests waiting on them). A handler that sends an event blocks until the event
     * is stored, and every message wakes a {@code /sync} on every node of its room.
     */
    static SharedResources forNodes(int nodes) {
        int cores = Runtime.getRuntime().availableProcessors();
        int loops = Math.min(MAX_LOOPS, Math.max(2 * cores, nodes / 3));
        int handlers = Math.min(MAX_POOL, Math.max(4 * cores, nodes / 4));
        return new SharedResources(
                new NioEventLoopGroup(loops, new DefaultThreadFactory("shared-io", true)),
                new ThreadPoolExecutor(handlers, handlers, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(CLIENT_QUEUE),
                        new DefaultThreadFactory("shared-client-handler", true)),
                Executors.newFixedThreadPool(handlers, new DefaultThreadFactory("shared-sync", true)),
                Executors.newSingleThreadScheduledExecutor(new DefaultThreadFactory("shared-timer", true)),
                Executors.newSingleThreadExecutor(new DefaultThreadFactory("shared-profile-updates", true)),
                Executors.newSingleThreadExecutor(new DefaultThreadFactory("shared-device-list-pruning", true)));
    }

    /** Stops every shared thread; call after the last node that borrowed them closed. */
    @Override
    public void close() {
        clientHandlers.shutdownNow();
        sync.shutdownNow();
        timers.shutdownNow();
        profileUpdates.shutdownNow();
        deviceListPruning.shutdownNow();
        eventLoops.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
    }
}
