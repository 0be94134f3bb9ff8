package dev.hyphae.node.stateres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyphae.node.auth.AuthorizationRules;
import dev.hyphae.node.event.StateKey;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Runs every scenario under {@code src/test/resources/stateres/} with the real authorization rules. */
class StateResolutionFixturesTest {
    private final StateResolver resolver = new StateResolver(new AuthorizationRules((event, server) -> true));

    @TestFactory
    Stream<DynamicTest> everyFixtureResolvesToItsExpectedState() {
        return StateResolutionFixture.all(resolver).map(fixture -> DynamicTest.dynamicTest(fixture.name(), () -> {
            StateResolution result = fixture.resolve(resolver, fixture.stateSets());
            StateResolution.Resolved resolved = assertInstanceOf(StateResolution.Resolved.class, result,
                    () -> fixture.name() + ": " + result);
            assertEquals(new TreeMap<>(fixture.expected()), new TreeMap<>(resolved.state()),
                    fixture.name() + ": " + fixture.description());
        }));
    }

    @TestFactory
    Stream<DynamicTest> resultDoesNotDependOnTheOrderOfStateSetsOrEvents() {
        return StateResolutionFixture.all(resolver).map(fixture -> DynamicTest.dynamicTest(fixture.name(), () -> {
            Random random = new Random(fixture.name().hashCode());
            for (int round = 0; round < 50; round++) {
                List<Map<StateKey, String>> shuffled = new ArrayList<>();
                for (Map<StateKey, String> set : fixture.stateSets()) {
                    List<Map.Entry<StateKey, String>> entries = new ArrayList<>(set.entrySet());
                    Collections.shuffle(entries, random);
                    Map<StateKey, String> copy = new LinkedHashMap<>();
                    entries.forEach(e -> copy.put(e.getKey(), e.getValue()));
                    shuffled.add(copy);
                }
                Collections.shuffle(shuffled, random);
                StateResolution result = fixture.resolve(resolver, shuffled);
                StateResolution.Resolved resolved = assertInstanceOf(StateResolution.Resolved.class, result);
                assertEquals(new TreeMap<>(fixture.expected()), new TreeMap<>(resolved.state()),
                        fixture.name() + " round " + round);
            }
        }));
    }

    @Test
    void fixturesCoverTheWellKnownScenariosAndRoomVersion12() {
        List<String> names = StateResolutionFixture.all(resolver).map(StateResolutionFixture::name).toList();
        for (String expected : List.of("ban_vs_power_levels", "join_rule_evasion", "offtopic_power_levels",
                "topic_basic", "topic_reset", "topic", "mainline_sort", "v12_conflicted_state_subgraph",
                "v12_iterative_auth_checks_start_empty")) {
            assertTrue(names.contains(expected), "missing fixture " + expected);
        }
    }
}
