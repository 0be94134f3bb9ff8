package dev.hyphae.bench;

import dev.hyphae.node.auth.AuthorizationRules;
import dev.hyphae.node.event.EventSigner;
import dev.hyphae.node.event.StateKey;
import dev.hyphae.node.room.RoomVersions;
import dev.hyphae.node.signing.SigningKey;
import dev.hyphae.node.stateres.StateResolution;
import dev.hyphae.node.stateres.StateResolver;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Resolving the states of the two forks of {@link ForkedRoom} (10,000 events, 1,000 conflicting
 * state events) with {@link StateResolver} and {@link AuthorizationRules}: state resolution v2 in
 * room version 11, v2.1 in room version 12. Events come from memory, already parsed; nothing is
 * rejected. Single-threaded.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Threads(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class StateResolutionBenchmark {
    @Param({"12", "11"})
    public String roomVersion;

    private ForkedRoom room;
    private StateResolver resolver;
    private AuthorizationRules rules;
    private List<Map<StateKey, String>> stateSets;

    @Setup
    public void setUp() {
        byte[] seed = new byte[SigningKey.SEED_LENGTH];
        seed[0] = 42;
        SigningKey key = SigningKey.fromSeed("ed25519:bench", seed);
        // Only joins through a restricted room ask for signatures; this room has none.
        rules = new AuthorizationRules((event, server) -> true);
        resolver = new StateResolver(rules);
        long start = System.nanoTime();
        room = new ForkedRoom(RoomVersions.get(roomVersion), new EventSigner(EventSigningBenchmark.SERVER, key,
                new SecureRandom()), rules);
        long built = System.nanoTime() - start;
        stateSets = List.of(room.stateA, room.stateB);
        StateResolution result = resolve();
        if (!(result instanceof StateResolution.Resolved resolved)) {
            throw new IllegalStateException("the benchmark room does not resolve: " + result);
        }
        System.out.printf("%n[fixture] room v%s: %d events built, signed and auth-checked in %d ms; "
                        + "state sets of %d and %d keys; %d conflicted state events; resolved state %d keys; "
                        + "winners: power levels %s, join rules %s; %s%n",
                roomVersion, room.events.size(), built / 1_000_000, room.stateA.size(), room.stateB.size(),
                room.conflictedEvents(), resolved.state().size(),
                side(resolved.state(), StateKey.of("m.room.power_levels", "")),
                side(resolved.state(), StateKey.of("m.room.join_rules", "")), room.authChainSizes());
    }

    private String side(Map<StateKey, String> resolved, StateKey key) {
        String id = resolved.get(key);
        if (id == null) {
            return "none";
        }
        boolean a = id.equals(room.stateA.get(key));
        boolean b = id.equals(room.stateB.get(key));
        return a && b ? "both" : a ? "fork A" : b ? "fork B" : "neither";
    }

    private StateResolution resolve() {
        return resolver.resolve(room.version, stateSets, room::find, id -> false);
    }

    /** One resolution of the two forks' states. */
    @Benchmark
    public StateResolution resolveForks() {
        return resolve();
    }

    /**
     * The same with new {@link AuthorizationRules} each time, so that its cache of parsed contents
     * starts empty, as it would for events freshly loaded from the store.
     */
    @Benchmark
    public StateResolution resolveForksColdRules() {
        return new StateResolver(new AuthorizationRules((event, server) -> true))
                .resolve(room.version, stateSets, room::find, id -> false);
    }
}
