package dev.hyphae.node.stateres;

import static dev.hyphae.node.stateres.TestRoom.ALICE;
import static dev.hyphae.node.stateres.TestRoom.BOB;

import dev.hyphae.node.event.Pdu;
import dev.hyphae.node.event.StateKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A generated room for load: members joining, a long power levels history and many state events,
 * then two forks that each set the same {@code conflicts / 2} keys differently (some of them power
 * events), giving two state sets with {@code conflicts} conflicting events.
 */
final class LargeRoom {
    final TestRoom room;
    final Map<StateKey, String> fork1;
    final Map<StateKey, String> fork2;

    private LargeRoom(TestRoom room, Map<StateKey, String> fork1, Map<StateKey, String> fork2) {
        this.room = room;
        this.fork1 = fork1;
        this.fork2 = fork2;
    }

    static LargeRoom build(int events, int conflicts) {
        TestRoom room = new TestRoom("10").withBasics();
        Map<StateKey, String> state = new HashMap<>();
        state.put(StateKey.of("m.room.create", ""), "CREATE");
        state.put(StateKey.of("m.room.member", ALICE), "MA");
        String pl = "PL0";
        room.add("JR", ALICE, "m.room.join_rules", "", "{\"join_rule\":\"public\"}", List.of("CREATE", pl, "MA"));
        state.put(StateKey.of("m.room.join_rules", ""), "JR");
        room.add("MB", BOB, "m.room.member", BOB, "{\"membership\":\"join\"}", List.of("CREATE", pl, "JR"));
        state.put(StateKey.of("m.room.member", BOB), "MB");
        pl = setPowerLevels(room, "PL1", pl, 1);
        List<String> users = new ArrayList<>();
        int shared = events - conflicts - room.events.size();
        for (int i = 0; i < shared; i++) {
            String id = "S" + i;
            if (i % 100 == 99) {
                pl = setPowerLevels(room, id, pl, i);
            } else if (i % 3 == 0) {
                String user = "@u" + i + ":example.com";
                users.add(user);
                room.add(id, user, "m.room.member", user, "{\"membership\":\"join\"}", List.of("CREATE", pl, "JR"));
                state.put(StateKey.of("m.room.member", user), id);
            } else {
                room.add(id, ALICE, "m.example.setting", "k" + i, "{\"v\":" + i + "}", List.of("CREATE", pl, "MA"));
                state.put(StateKey.of("m.example.setting", "k" + i), id);
            }
        }
        state.put(StateKey.of("m.room.power_levels", ""), pl);
        Map<StateKey, String> fork1 = new HashMap<>(state);
        Map<StateKey, String> fork2 = new HashMap<>(state);
        String base = pl;
        String pl1 = base;
        String pl2 = base;
        for (int i = 0; i < conflicts / 2; i++) {
            if (i % 50 == 0) {
                pl1 = setPowerLevels(room, "A" + i, pl1, 10_000 + i);
                pl2 = setPowerLevels(room, "B" + i, pl2, 20_000 + i);
                fork1.put(StateKey.of("m.room.power_levels", ""), pl1);
                fork2.put(StateKey.of("m.room.power_levels", ""), pl2);
            } else if (i % 10 == 0 && !users.isEmpty()) {
                String user = users.get(i % users.size());
                StateKey key = StateKey.of("m.room.member", user);
                room.add("A" + i, ALICE, "m.room.member", user, "{\"membership\":\"ban\"}",
                        List.of("CREATE", pl1, "MA", fork1.get(key)));
                room.add("B" + i, user, "m.room.member", user, "{\"membership\":\"leave\"}",
                        List.of("CREATE", pl2, fork2.get(key)));
                fork1.put(key, "A" + i);
                fork2.put(key, "B" + i);
            } else {
                StateKey key = StateKey.of("m.example.forked", "f" + i);
                room.add("A" + i, ALICE, key.type(), key.stateKey(), "{\"side\":1}", List.of("CREATE", pl1, "MA"));
                room.add("B" + i, ALICE, key.type(), key.stateKey(), "{\"side\":2}", List.of("CREATE", pl2, "MA"));
                fork1.put(key, "A" + i);
                fork2.put(key, "B" + i);
            }
        }
        return new LargeRoom(room, fork1, fork2);
    }

    private static String setPowerLevels(TestRoom room, String id, String previous, int salt) {
        room.add(id, ALICE, "m.room.power_levels", "",
                "{\"users\":{\"" + ALICE + "\":100,\"" + BOB + "\":50},\"events\":{\"m.example.salt\":" + (salt % 90)
                        + "}}",
                List.of("CREATE", previous, "MA"));
        return id;
    }

    List<Pdu> events() {
        return new ArrayList<>(room.events.values());
    }
}
